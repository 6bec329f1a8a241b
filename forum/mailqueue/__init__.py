"""The outgoing mail queue: mail is enqueued as rows in the request or cron job, and a worker
(`flask --app wsgi forum mail work`) sends it, retrying failures with backoff."""
