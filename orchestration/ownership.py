"""The teams that own the assets, as Dagster shows them. The dbt models and seeds name the
same teams in dbt_project.yml (`+meta: {dagster: {owners: ...}}`), by folder."""

DATA_ENGINEERING = ["team:data-engineering"]  # loads, checks, the serving snapshot
CONTROLLING = ["team:controlling"]  # costing, customer profitability and concentration
PURCHASING = ["team:purchasing"]  # supplier performance and capability
