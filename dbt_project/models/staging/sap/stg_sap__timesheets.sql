with

source as (
    select * from {{ source('raw', 'timesheets') }}
),

renamed as (
    select
        counter as timesheet_row_id,
        pernr as employee_id,
        workdate as work_date,
        _period as work_month,
        catshours as hours,
        lstar as activity_type,
        skostl as sender_cost_centre,
        raufnr as receiver_order,
        posid as wbs_element,
        status,
        -- Only approved rows (30) count; 50/60 rows were superseded, 10/20 are not final.
        status = '30' as is_approved,
        case when status = '30' then catshours else 0 end as approved_hours,
        _load_id as load_id
    from source
)

select * from renamed
