"""The explorer's pages, one module each with `render(con)`, in the order of the menu:
(module, title, address path). The first is the start page."""

from explorer.app_pages import (
    capacity,
    concentration,
    drilldown,
    scenarios,
    sensitivity,
    suppliers,
)

PAGES = [
    (concentration, "Concentration", "concentration"),
    (drilldown, "Drill-down", "drilldown"),
    (capacity, "Capacity", "capacity"),
    (suppliers, "Suppliers", "suppliers"),
    (scenarios, "Scenarios", "scenarios"),
    (sensitivity, "Sensitivity", "sensitivity"),
]
