"""Home: one overview of a member's Meridian: their profile, what is coming up for them, the team clock.

Slack shows it as the App Home tab (by asking the core for /home); every other platform can ask for it
with /home. Nothing else imports from here.
"""
