# ruff: noqa: E501 -- chat lines read best unwrapped
"""The demo community's chat: channels, a seminar room and a conversation, as plain data.

Each message is (author, minutes after the channel's first message, text); a text may start
with "↩N " to reply to the N-th message of the same channel (1-based). `reactions` maps a
message number to [(username, emoji), …]. Times are relative to `days_ago`.
"""

from __future__ import annotations

CHANNELS = [
    {
        "kind": "public", "name": "Кафедра — общий чат", "creator": "koordinator",
        "description": "Обо всём понемногу: вопросы коллегам, новости школ, полезные находки.",
        "followers": ["koordinator", "sokolova_ru", "orlova_phys", "belova_nach"],
        "days_ago": 2,
        "messages": [
            ("orlova_phys", 0, "Коллеги, доброе утро! Кто-нибудь уже пробовал новые цифровые лаборатории для 7 класса?"),
            ("zaytsev_chem", 6, "Пробовали в Самаре. Датчики температуры хорошие, а вот датчик давления капризничает."),
            ("orlova_phys", 9, "↩2 Спасибо! А ПО ставили на школьные ноутбуки или на свои?"),
            ("zaytsev_chem", 15, "На школьные, но пришлось просить админа — без прав администратора не встаёт."),
            ("belova_nach", 95, "Поделюсь находкой: раскраски-карты для окружающего мира, дети в восторге. Ссылку выложу в «Полезных сайтах»."),
            ("koordinator", 130, "Напоминаю: в четверг семинар по смысловому чтению, комната уже открыта в чате. Приходите!"),
        ],
        "reactions": {5: [("sokolova_ru", "👍"), ("orlova_phys", "❤️")], 6: [("lebedeva_lit", "🎉")]},
    },
    {
        "kind": "category", "category": "matematika", "name": "Математика — чат",
        "creator": "krylov_math",
        "description": "Быстрые вопросы по математике: задачи, олимпиады, ОГЭ и ЕГЭ.",
        "followers": ["ershova_math", "smirnov_inf"],
        "days_ago": 1,
        "messages": [
            ("krylov_math", 0, "Задача для разминки: докажите, что произведение четырёх последовательных натуральных чисел плюс один — полный квадрат."),
            ("ershova_math", 12, "Красивая! Дам своим девятиклассникам в пятницу."),
            ("smirnov_inf", 20, "↩1 Можно проверить перебором в Python, а потом просить доказательство — дети любят сначала убедиться."),
            ("krylov_math", 26, "↩3 Хорошая мысль: сначала гипотеза, потом доказательство. `n(n+1)(n+2)(n+3) + 1 = (n² + 3n + 1)²`"),
            ("ershova_math", 240, "Кто знает, когда выложат демоверсию ОГЭ на следующий год?"),
        ],
        "reactions": {1: [("ershova_math", "👍"), ("smirnov_inf", "🤔")], 4: [("smirnov_inf", "👏")]},
        "edits": {2: "Красивая! Дам своим девятиклассникам в пятницу на кружке."},
    },
    {
        "kind": "seminar", "name": "Семинар: смысловое чтение на уроках литературы",
        "creator": "koordinator", "host": "lebedeva_lit",
        "description": "Как учить читать вдумчиво: приёмы, задания, оценивание. Ведущая — Марина Олеговна Лебедева.",
        "followers": ["sokolova_ru", "petrov_hist", "morozova_en"],
        "days_ago": 6, "duration_minutes": 90,
        "messages": [
            ("lebedeva_lit", 0, "Здравствуйте, коллеги! Начинаем. Сегодня три приёма: **чтение с остановками**, «толстые и тонкие вопросы» и инсерт."),
            ("sokolova_ru", 3, "Здравствуйте! Мы с шестиклассниками читаем с остановками «Уроки французского» — очень хорошо идёт."),
            ("lebedeva_lit", 8, "↩2 Отличный текст для этого. Где вы делаете остановки?"),
            ("sokolova_ru", 11, "На каждом поступке учительницы: просим предсказать, что будет дальше, и объяснить почему."),
            ("petrov_hist", 25, "На истории инсерт работает с источниками: ✓ знал, + новое, − думал иначе, ? непонятно."),
            ("morozova_en", 40, "А для английского подойдут «толстые и тонкие вопросы»? Боюсь, словаря не хватит."),
            ("lebedeva_lit", 44, "↩6 Подойдут: тонкие вопросы — на понимание фактов, их можно задавать и на простом языке."),
            ("lebedeva_lit", 85, "Спасибо всем! Материалы семинара выложу в разделе «Мероприятия». Комната остаётся архивом."),
        ],
        "reactions": {8: [("sokolova_ru", "🎉"), ("petrov_hist", "👏"), ("morozova_en", "👏")]},
    },
    {
        "kind": "seminar", "name": "Мастер-класс: задачи с параметром", "creator": "koordinator",
        "host": "krylov_math", "starts_in_days": 5, "duration_minutes": 60,
        "description": "Разбор задач 18 ЕГЭ: графический метод. Комната откроется для сообщений в начале мастер-класса.",
        "followers": ["ershova_math"],
        "messages": [],
    },
    {
        "kind": "direct", "participants": ["krylov_math", "smirnov_inf"], "days_ago": 3,
        "messages": [
            ("krylov_math", 0, "Дмитрий Алексеевич, поможете настроить проверку задач кружка в таблице?"),
            ("smirnov_inf", 30, "Конечно! Пришлите пример, сделаю шаблон с автопроверкой."),
        ],
    },
]
