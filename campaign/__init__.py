"""The top layer: one package per feature, all under the one app label `campaign`.

    group/      the campaign, its phases, the leadership group (领导小组) and oversight
    reminders/  the daily sweep over every app's registered rules, digests, their status
    reports/    the monthly report: data, PDF, xlsx, the build job and its archive
    dashboard/  the leaders' dashboard and the home page: scope, figures, charts, cache

Each package holds the same modules (models, selectors, services, forms, views, urls,
tasks, admin) and its templates live in templates/campaign/<feature>/. Imports go
group <- reminders, reports <- dashboard, never the other way.
"""
