-- Each scenario against `actual`, per period, level and member, line by line: the actual
-- value, the scenario's and the change. Levels: customer, customer_group and company.
-- The company's lines make the whale-curve fallacy visible: dropping the loss-makers
-- raises the customers' net profit by their losses, while company_profit (the customers'
-- net profit less the cost of time without a customer and of unused capacity, which the
-- pools still pay) changes only by what truly leaves: revenue, production cost, outside
-- costs and commission.
with

customers as (
    select * from {{ ref('fct_scenario_customer_profitability') }}
),

groups as (
    select * from {{ ref('fct_scenario_group_profitability') }}
),

departments as (
    select
        scenario_id,
        period_type,
        period_start,
        sum(pool_cost) as pool_cost,
        sum(unused_capacity_cost) as unused_capacity_cost
    from {{ ref('fct_scenario_activity_rates') }}
    group by scenario_id, period_type, period_start
),

without_customer_by_month as (
    select scenario_id, period_month, time_cost + non_pool_cost as cost_without_customer
    from {{ ref('int_scenario_activity_costs_by_month') }}
    where customer_id is null
),

without_customer as (
    {{ months_and_years('without_customer_by_month', ['scenario_id'],
                        ['cost_without_customer']) }}
),

company as (
    select
        customers.scenario_id,
        customers.period_type,
        customers.period_start,
        count(*) filter (where not customers.is_dropped) as customers,
        sum(customers.net_revenue) as net_revenue,
        sum(customers.production_cost) as production_cost,
        sum(customers.cost_to_serve) as cost_to_serve,
        sum(customers.net_profit) as customers_net_profit
    from customers
    group by customers.scenario_id, customers.period_type, customers.period_start
),

company_lines as (
    select
        company.scenario_id,
        company.period_type,
        company.period_start,
        'company' as level,
        'company' as member_id,
        'company' as member_name,
        cast(company.customers as double) as customers,
        company.net_revenue,
        company.production_cost,
        company.cost_to_serve,
        company.customers_net_profit,
        coalesce(without_customer.cost_without_customer, 0) as cost_without_customer,
        coalesce(departments.unused_capacity_cost, 0) as unused_capacity_cost,
        company.customers_net_profit - coalesce(without_customer.cost_without_customer, 0)
            - coalesce(departments.unused_capacity_cost, 0) as company_profit
    from company
    left join without_customer
        on without_customer.scenario_id = company.scenario_id
        and without_customer.period_type = company.period_type
        and without_customer.period_start = company.period_start
    left join departments
        on departments.scenario_id = company.scenario_id
        and departments.period_type = company.period_type
        and departments.period_start = company.period_start
),

member_lines as (
    select
        scenario_id, period_type, period_start, 'customer' as level,
        customer_id as member_id, coalesce(customer_name, customer_id) as member_name,
        net_revenue, production_cost, cost_to_serve, net_profit
    from customers
    union all
    select
        scenario_id, period_type, period_start, 'customer_group',
        customer_group, customer_group_name,
        net_revenue, production_cost, cost_to_serve, net_profit
    from groups
),

lines as (
    select * from (
        unpivot member_lines
        on net_revenue, production_cost, cost_to_serve, net_profit
        into name line value amount
    )
    union all by name
    select * from (
        unpivot company_lines
        on customers, net_revenue, production_cost, cost_to_serve, customers_net_profit,
            cost_without_customer, unused_capacity_cost, company_profit
        into name line value amount
    )
),

actual as (
    select * from lines where scenario_id = 'actual'
)

select
    cast(lines.scenario_id as varchar) as scenario_id,
    cast(lines.period_type as varchar) as period_type,
    cast(lines.period_start as date) as period_start,
    cast(lines.level as varchar) as level,
    cast(lines.member_id as varchar) as member_id,
    cast(lines.member_name as varchar) as member_name,
    cast(lines.line as varchar) as line,
    cast(actual.amount as double) as actual_value,
    cast(lines.amount as double) as scenario_value,
    cast(lines.amount - actual.amount as double) as change,
    -- A profit that becomes a loss or a loss that becomes a profit; a member a scenario
    -- drops ends at zero, which is neither.
    cast(
        lines.line in ('net_profit', 'company_profit')
        and sign(actual.amount) * sign(lines.amount) < 0 as boolean
    ) as changes_sign
from lines
inner join actual
    on actual.period_type = lines.period_type
    and actual.period_start = lines.period_start
    and actual.level = lines.level
    and actual.member_id = lines.member_id
    and actual.line = lines.line
