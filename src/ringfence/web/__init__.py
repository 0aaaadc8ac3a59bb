"""The web pages of ringfence, served by the API app: lookup, report, alerts (citizens) and the
analysts' dashboard. Server-rendered Jinja2 templates, one small script, no front-end build.

`ringfence.web.routes.router` is what `create_app` includes.
"""
