-- Data quality of the load, per source × register, for report headers: files loaded, skipped
-- and failed, rows read/loaded/quarantined, and quarantine problems by severity and reason.
with load_log as (
    select * from {{ source('audit', 'load_log') }}
),

quarantine as (
    select * from {{ source('audit', 'quarantine') }}
),

-- Each file's latest entry says whether it is currently failing or was seen again unchanged.
latest_entry as (
    select
        file_name,
        arg_max(status, loaded_at) as latest_status
    from load_log
    group by file_name
),

-- Row counts come from each file's latest successful load (a re-delivered file is skipped and
-- has no counts of its own; a changed file replaces its earlier load).
latest_loaded as (
    select
        file_name,
        arg_max(rows_read, loaded_at) as rows_read,
        arg_max(rows_loaded, loaded_at) as rows_loaded,
        arg_max(rows_quarantined, loaded_at) as rows_quarantined
    from load_log
    where status = 'loaded'
    group by file_name
),

file_register as (
    select
        file_name,
        any_value(source) as source,
        coalesce(any_value(register), 'unknown') as register,
        any_value(message) filter (where status = 'failed') as failed_message
    from load_log
    group by file_name
),

files as (
    select
        file_register.source,
        file_register.register,
        count(latest_loaded.file_name) as files_loaded,
        count(*) filter (where latest_entry.latest_status = 'skipped') as files_skipped,
        count(*) filter (where latest_entry.latest_status = 'failed') as files_failed,
        coalesce(sum(latest_loaded.rows_read), 0) as rows_read,
        coalesce(sum(latest_loaded.rows_loaded), 0) as rows_loaded,
        coalesce(sum(latest_loaded.rows_quarantined), 0) as rows_quarantined,
        coalesce(
            list(
                file_register.file_name || ': ' || coalesce(file_register.failed_message, 'fejl')
                order by file_register.file_name
            ) filter (where latest_entry.latest_status = 'failed'),
            []
        ) as failed_files
    from file_register
    inner join latest_entry on file_register.file_name = latest_entry.file_name
    left join latest_loaded on file_register.file_name = latest_loaded.file_name
    group by file_register.source, file_register.register
),

problem_counts as (
    select
        coalesce(file_register.source, 'unknown') as source,
        coalesce(quarantine.register, file_register.register, 'unknown') as register,
        quarantine.severity,
        quarantine.reason,
        count(*) as problems
    from quarantine
    left join file_register on quarantine.file_name = file_register.file_name
    group by all
),

problems as (
    select
        source,
        register,
        coalesce(sum(problems) filter (where severity = 'warning'), 0) as warnings,
        coalesce(sum(problems) filter (where severity = 'error'), 0) as errors,
        list(
            {'severity': severity, 'reason': reason, 'problems': problems}
            order by problems desc, severity, reason
        ) as reasons
    from problem_counts
    group by source, register
),

final as (
    select
        coalesce(files.source, problems.source) as source,
        coalesce(files.register, problems.register) as register,
        cast(coalesce(files.files_loaded, 0) as integer) as files_loaded,
        cast(coalesce(files.files_skipped, 0) as integer) as files_skipped,
        cast(coalesce(files.files_failed, 0) as integer) as files_failed,
        cast(coalesce(files.rows_read, 0) as bigint) as rows_read,
        cast(coalesce(files.rows_loaded, 0) as bigint) as rows_loaded,
        cast(coalesce(files.rows_quarantined, 0) as bigint) as rows_quarantined,
        cast(coalesce(problems.warnings, 0) as bigint) as warnings,
        cast(coalesce(problems.errors, 0) as bigint) as errors,
        coalesce(problems.reasons, []) as reasons,
        coalesce(files.failed_files, []) as failed_files
    from files
    full outer join problems
        on files.source = problems.source
        and files.register = problems.register
)

select * from final
