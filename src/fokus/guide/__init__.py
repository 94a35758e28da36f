"""The year guide: the article's method as steps an owner takes in order (sales goal,
levers, funnel, leading KPIs, customer care, check-ins), each done through the planners'
own services so that the year ends as one plan with every KPI once."""
