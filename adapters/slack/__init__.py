"""The Slack adapter (slack-bolt): slash commands, modals, buttons, App Home and scheduled messages.

Two modes. Socket Mode (SLACK_APP_TOKEN + SLACK_BOT_TOKEN) serves one workspace without a public
URL. HTTP mode serves POST /slack/events; with SLACK_CLIENT_ID/SECRET it runs the OAuth install
flow for many workspaces, keeping installations (tokens encrypted) in Meridian's own database.

    blocks.py   Reply -> Block Kit (pure)          sender.py  scheduler.delivery.Sender for Slack
    app.py      the Bolt app and its listeners     stores.py  installation and OAuth state stores
"""
