"""The words the six-week story expects in en (tests/test_e2e_story.py).

"timeline" lists, step by step, who received what (role, first line), sorted within a step.
"""

from __future__ import annotations

from typing import Any

EN: dict[str, Any] = {
    "overdue command": "/summary overdue",
    "file": "ledger.en.csv",
    "owner": "Urban Management Bureau liaison",
    "leader": "Deputy Director (urban construction)",
    "note": "Phase one is complete",
    "blocker": "Phase two mains are short of about 8 million yuan; the Finance Bureau must release it",
    "report": "The mains extension is finished and water is flowing",
    "evidence": "acceptance report.pdf",
    "changed head": "The task force updated",
    "report keys": ["As of", "Closed this month: ", "Urban Management Bureau: "],
    "summaries": [
        "📊 P · summary as of 4 November · overdue only\nAs of 4 November, no measure is overdue.",
        "📊 P · summary as of 4 November\nAs of 4 November, you own 2 measures: 1 complete, 1 still open.\n🔴 1 red, 🟡 0 yellow, 🟢 0 green, 0 awaiting sign-off\n\nRed items:\n🔴 1.3.2 Finish and open the Hufengshan… · due 30 November · in progress · blocked · Urban Management Bureau liaison\n    ↳ Blocked · 60% · “Phase two mains are short of about 8 million yuan; the Finance Bureau must release it” (30 September, Urban Management Bureau liaison)",
    ],
    "planned": {
        "beat:1:dispatch": "2024-W40",
        "beat:1:report": "2024-09",
        "beat:1:review": "2024-10-09",
        "beat:1:nudge": "2024-W41",
        "beat:1:spotcheck": "2024-10",
    },
    "first preview": "Ledger for P: 42 measures in 4 areas.\n42 new, 0 changed, 0 unchanged.\nColumns read (field: column in the file, where they differ): Code; Area; Problem; Measure; Responsible leader; Lead unit; Co-units; Owner; Deadline; Status.\n35 rows marked done will be recorded as closed before the programme began (not counted as closed this month nor in the on-time rate).",
    "nobody": "Nothing was sent for 23–29 September: none of the 5 owners with open measures has opened their invite yet (Audit Bureau liaison, Construction Bureau liaison, Financial Services Bureau liaison, Science and Technology Innovation Bureau liaison, and Urban Management Bureau liaison). The period is not counted as dispatched: send the invites (/invites), then /dispatch again.",
    "some": "Dispatch for 23–29 September sent to 1 of 5 owners.\nNot yet bound (they get nothing until they open their invite): Audit Bureau liaison, Construction Bureau liaison, Financial Services Bureau liaison, and Science and Technology Innovation Bureau liaison. /invites gives their links.",
    "reimport preview": "Ledger for P: 42 measures in 4 areas.\n0 new, 1 changed, 41 unchanged.\nColumns read (field: column in the file, where they differ): Code; Area; Problem; Measure; Responsible leader; Lead unit; Co-units; Owner; Deadline; Status.\nChanges:\n• 1.3.2: Deadline 31 October 2024 → 30 November 2024\nStatuses set in chat since the last import are kept unless you choose otherwise:\n• 1.3.3: closed (the file says in progress)",
    "owner told": [
        "The task force updated the ledger of P. Your measures changed as follows:\n• 1.3.2: Deadline 31 October 2024 → 30 November 2024"
    ],
    "escalation": [
        "⚠️ Measure 1.3.2 (Finish and open the Hufengshan township water plant so…) has had no answer from Urban Management Bureau liaison to the last two dispatches in a row. Please follow up. [Follow up] [Latest answer]"
    ],
    "blocked alert": [
        "⛔ Blocked: 1.3.2 Finish and open the Hufengshan township water plant so every household gets tap water\nOwner: Urban Management Bureau liaison (Urban Management Bureau) · due 31 October 2024\nBlocker: “Phase two mains are short of about 8 million yuan; the Finance Bureau must release it” (30 September)\nPlease decide how to unblock it. [Follow up]"
    ],
    "reviews": [
        "🔎 P · fortnightly review, 9 October\nAs of 9 October, 35 of 42 measures are complete; 7 are in progress.\n🔴 1 red, 🟡 0 yellow, 🟢 6 green, 0 awaiting sign-off\n\nLights by area:\n1. Implementing the…: 16 of 20 complete; 🔴 1 red, 🟢 3 green\n2. Primary and…: 12 of 12 complete\n3. The Party's…: 6 of 7 complete; 🟢 1 green\n4. Rectifying problems…: 1 of 3 complete; 🟢 2 green\n\nThis is the first review: changes are counted from the next one.\n\nRed items:\n🔴 1.3.2 Finish and open the Hufengshan… · due 31 October · in progress · blocked · Urban Management Bureau liaison\n    ↳ Blocked · 60% · “Phase two mains are short of about 8 million yuan; the Finance Bureau must release it” (30 September, Urban Management Bureau liaison)\n\nBlocked, needing a leader's decision:\n🔴 1.3.2 Finish and open the Hufengshan… · due 31 October · in progress · blocked · Urban Management Bureau liaison\n    ↳ Blocked · 60% · “Phase two mains are short of about 8 million yuan; the Finance Bureau must release it” (30 September, Urban Management Bureau liaison)\n\nOwners who did not answer: Urban Management Bureau liaison\n\nOwners I cannot reach (not bound or blocked the bot): Audit Bureau liaison, Construction Bureau liaison, Financial Services Bureau liaison, and Science and Technology Innovation Bureau liaison\n\nLead units with the most red: Urban Management Bureau (1 red) [Letter 1.3.2] [Follow up 1.3.2]",
        "🔎 P · fortnightly review, 24 October\nAs of 24 October, 36 of 42 measures are complete; 6 are in progress.\n🔴 1 red, 🟡 0 yellow, 🟢 5 green, 0 awaiting sign-off\n\nLights by area:\n1. Implementing the…: 17 of 20 complete; 🔴 1 red, 🟢 2 green\n2. Primary and…: 12 of 12 complete\n3. The Party's…: 6 of 7 complete; 🟢 1 green\n4. Rectifying problems…: 1 of 3 complete; 🟢 2 green\n\nSince the last review:\nNewly red: none\nNewly closed: 1.3.3\nNewly blocked: none\n\nRed items:\n🔴 1.3.2 Finish and open the Hufengshan… · due 30 November · in progress · blocked · Urban Management Bureau liaison\n    ↳ Blocked · 60% · “Phase two mains are short of about 8 million yuan; the Finance Bureau must release it” (30 September, Urban Management Bureau liaison)\n\nBlocked, needing a leader's decision:\n🔴 1.3.2 Finish and open the Hufengshan… · due 30 November · in progress · blocked · Urban Management Bureau liaison\n    ↳ Blocked · 60% · “Phase two mains are short of about 8 million yuan; the Finance Bureau must release it” (30 September, Urban Management Bureau liaison)\n\nOwners who did not answer: Urban Management Bureau liaison\n\nOwners I cannot reach (not bound or blocked the bot): Audit Bureau liaison, Construction Bureau liaison, Financial Services Bureau liaison, and Science and Technology Innovation Bureau liaison\n\nLead units with the most red: Urban Management Bureau (1 red) [Letter 1.3.2] [Follow up 1.3.2]",
    ],
    "reports": [
        [
            "As of 30 September, 35 of 42 measures are complete; 7 are in progress.",
            "Urban Management Bureau: leads 2 measures, 0 complete, answer rate 100%",
            "Closed this month: 0",
        ],
        [
            "As of 31 October, 36 of 42 measures are complete; 6 are in progress.",
            "Urban Management Bureau: leads 2 measures, 1 complete, answer rate 25%",
            "Closed this month: 1",
        ],
    ],
    "timeline": [
        [
            "created",
            [
                [
                    "coordinator",
                    "Programme P created, and you are its coordinator. Next: send me the ledger file, then /setup P in the leadership group.",
                ]
            ],
        ],
        ["preview", [["coordinator", "Ledger for P: 42 measures in 4 areas."]]],
        ["imported", []],
        [
            "setup",
            [
                [
                    "leadership group",
                    "This group is now the leadership group of P. Reports and /summary will appear here.",
                ],
                [
                    "task force",
                    "This group is now the task-force chat of P. Reviews will appear here.",
                ],
            ],
        ],
        [
            "dispatch nobody",
            [
                [
                    "coordinator",
                    "Nothing was sent for 23–29 September: none of the 5 owners with open measures has opened their invite yet (Audit Bureau liaison, Construction Bureau liaison, Financial Services Bureau liaison, Science and Technology Innovation Bureau liaison, and Urban Management Bureau liaison). The period is not counted as dispatched: send the invites (/invites), then /dispatch again.",
                ]
            ],
        ],
        [
            "dispatch some",
            [
                ["coordinator", "Dispatch for 23–29 September sent to 1 of 5 owners."],
                ["owner", "📌 Weekly dispatch for this week (23–29 September)"],
            ],
        ],
        ["sat", []],
        ["mon W40", [["owner", "📌 Weekly dispatch for this week (30 September – 6 October)"]]],
        [
            "blocked",
            [
                [
                    "leader",
                    "⛔ Blocked: 1.3.2 Finish and open the Hufengshan township water plant so every household gets tap water",
                ],
                ["owner", "How far along is it, in percent (0–100)?"],
                ["owner", "Saved. Thank you: 1.3.2 is updated."],
                [
                    "owner",
                    "Send evidence files if you have any (documents or photos), then press Done.",
                ],
                ["owner", "What is in the way, and what help do you need?"],
                [
                    "owner",
                    "Write a short progress note for 1.3.2; a line starting “Next step:” says what comes next. /cancel leaves without saving.",
                ],
                [
                    "task force",
                    "⛔ Blocked: 1.3.2 Finish and open the Hufengshan township water plant so every household gets tap water",
                ],
            ],
        ],
        ["W41", [["owner", "📌 Weekly dispatch for this week (7–13 October)"]]],
        [
            "report Sep",
            [
                ["leadership group", "P ledger 30 September 2024.xlsx"],
                ["leadership group", "P monthly report September 2024"],
                ["leadership group", "P monthly report September 2024.docx"],
                ["leadership group", "📋 P · monthly report for September 2024"],
            ],
        ],
        ["review 1", [["task force", "🔎 P · fortnightly review, 9 October"]]],
        [
            "nudge W41",
            [["owner", "⏰ Reminder: these measures have no answer to this week's dispatch yet:"]],
        ],
        [
            "closed",
            [
                ["coordinator", "acceptance report.pdf"],
                ["coordinator", "🏁 Sign-off request for 1.3.3"],
                ["owner", "1.3.3 is signed off (closed)."],
                ["owner", "Received evidence file 1 (document). Send more, or press Done."],
                ["owner", "Saved. 1.3.3 now waits for sign-off by the task force."],
                [
                    "owner",
                    "Send at least one evidence file (documents or photos), then press Done.",
                ],
                [
                    "owner",
                    "Write the completion report for 1.3.3: what was done, and how it is proven.",
                ],
            ],
        ],
        [
            "schedule",
            [
                ["coordinator", "Schedule changed."],
                [
                    "coordinator",
                    "Schedule of P (time zone Beijing time, calendar Chinese working days):",
                ],
            ],
        ],
        ["W42", [["owner", "📌 Weekly dispatch for this week (14–20 October)"]]],
        [
            "reimport",
            [
                ["coordinator", "Imported: 0 new, 1 changed, 41 unchanged."],
                [
                    "owner",
                    "The task force updated the ledger of P. Your measures changed as follows:",
                ],
            ],
        ],
        [
            "nudge W42",
            [["owner", "⏰ Reminder: these measures have no answer to this week's dispatch yet:"]],
        ],
        [
            "W43",
            [
                ["coordinator", "acceptance report.pdf"],
                ["coordinator", "🔎 Random spot check: 1.3.3"],
                [
                    "leader",
                    "⚠️ Measure 1.3.2 (Finish and open the Hufengshan township water plant so…) has had no answer from Urban Management Bureau liaison to the last two dispatches in a row. Please follow up.",
                ],
                ["owner", "📌 Weekly dispatch for this week (21–27 October)"],
            ],
        ],
        [
            "review 2",
            [
                [
                    "owner",
                    "⏰ Reminder: these measures have no answer to this week's dispatch yet:",
                ],
                ["task force", "🔎 P · fortnightly review, 24 October"],
            ],
        ],
        ["W44", [["owner", "📌 Weekly dispatch for this week (28 October – 3 November)"]]],
        [
            "nudge W44",
            [["owner", "⏰ Reminder: these measures have no answer to this week's dispatch yet:"]],
        ],
        [
            "report Oct",
            [
                ["leadership group", "P ledger 31 October 2024.xlsx"],
                ["leadership group", "P monthly report October 2024"],
                ["leadership group", "P monthly report October 2024.docx"],
                ["leadership group", "📋 P · monthly report for October 2024"],
            ],
        ],
        ["W45", [["owner", "📌 Weekly dispatch for this week (4–10 November)"]]],
        [
            "summaries",
            [
                ["leadership group", "📊 P · summary as of 4 November · overdue only"],
                ["owner", "📊 P · summary as of 4 November"],
            ],
        ],
    ],
}
