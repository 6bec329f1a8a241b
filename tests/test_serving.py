"""The gevent fairness layer: each request first lets the other ready connections run."""

import gevent
import gevent.socket
import pytest

from forum.serving import YieldEachRequest, running_under_gevent


def test_a_request_waits_for_greenlets_that_were_ready_before_it():
    order = []

    def app(environ, start_response):
        order.append("request")
        return [b""]

    gevent.spawn(order.append, "other connection")
    YieldEachRequest(app)({}, lambda *a: None)
    assert order == ["other connection", "request"]


@pytest.mark.parametrize("first_ready", ["request", "other connection"])
def test_a_request_lets_connections_that_became_ready_with_it_go_first(first_ready):
    # Two keep-alive connections whose next requests arrive together: whichever greenlet the
    # loop wakes first, the other one's request is served before the yielding one's.
    order = []
    app = YieldEachRequest(lambda environ, start_response: order.append("request") or [b""])
    pairs = {name: gevent.socket.socketpair() for name in ("request", "other connection")}
    try:
        def serve(name):
            pairs[name][0].recv(1)
            if name == "request":
                app({}, lambda *a: None)
            else:
                order.append(name)

        greenlets = [gevent.spawn(serve, name) for name in pairs]
        gevent.sleep(0.01)  # both now wait on their sockets
        for name in sorted(pairs, key=lambda n: n != first_ready):
            pairs[name][1].send(b"x")
        gevent.joinall(greenlets, timeout=1)
    finally:
        for pair in pairs.values():
            for sock in pair:
                sock.close()
    assert order == ["other connection", "request"]


def test_the_test_process_is_not_taken_for_a_gevent_worker():
    assert not running_under_gevent()
