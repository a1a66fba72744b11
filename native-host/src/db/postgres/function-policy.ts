/**
 * Functions (and a few catalog views) a pipeline's SQL may not reach on PostgreSQL, whatever the method
 * and flags: those that touch the server's files, run programs, reach other servers or other sessions,
 * change the server's or the connection's configuration, take locks that outlive the call, or run SQL
 * handed to them as text (which no parse of the outer statement can see).
 *
 * Why a deny-list is acceptable here while statements are an allow-list: a pipeline cannot add
 * functions (CREATE FUNCTION, CREATE EXTENSION, DO, CREATE LANGUAGE ... are never run; see
 * statement-policy.ts), so what it can call is the server's built-ins plus what its administrator
 * installed. The built-ins that reach outside the database are a small, documented set; most are
 * superuser-only or gated by the predefined roles pg_read_server_files, pg_write_server_files,
 * pg_execute_server_program and pg_signal_backend, and extensions such as dblink, postgres_fdw and
 * adminpack are listed by name. The other layer is the engine's own privileges: a connection made as
 * the least-privilege role docs/ARCHITECTURE.md describes cannot call these at all, whatever this list
 * misses. This list is what stops the obvious cases on a connection made as a superuser, with a message
 * saying what to do instead.
 *
 * Names are compared as the parser produced them, lower-cased (unquoted names are folded to lower case
 * by the parser; a quoted "PG_READ_FILE" is refused too, which costs nothing), on the last part of a
 * qualified name, so `pg_catalog.pg_read_file` and `myschema.dblink` match.
 */

export type FunctionRisk = 'readsFiles' | 'writesFiles' | 'largeObjects' | 'otherServers' | 'settings' | 'otherSessions' | 'sessionLock' | 'dynamicSql' | 'administration';

const RULES: [RegExp, FunctionRisk][] = [
  [/^pg_(read_file|read_binary_file|stat_file|ls_.*|logdir_ls|current_logfile)$/, 'readsFiles'],
  [/^(pg_show_all_file_settings|pg_hba_file_rules|pg_ident_file_mappings)$/, 'readsFiles'],
  [/^pg_file_.*$/, 'writesFiles'], // adminpack: pg_file_write, pg_file_rename, pg_file_unlink, pg_file_sync
  // By name rather than lo_.*: a column called lo_price must stay usable (attribute notation checks column names too).
  [/^(lo_(import|export|from_bytea|put|get|creat|create|open|close|unlink|truncate|truncate64|lseek|lseek64|tell|tell64)|loread|lowrite)$/, 'largeObjects'],
  [/^(dblink.*|postgres_fdw_.*|file_fdw_.*)$/, 'otherServers'],
  [/^(set_config|pg_reload_conf|setseed|pg_replication_origin_.*)$/, 'settings'],
  [/^(pg_terminate_backend|pg_cancel_backend|pg_signal_backend|pg_notify|pg_log_backend_memory_contexts)$/, 'otherSessions'],
  [/^pg_(try_)?advisory_lock(_shared)?$/, 'sessionLock'],
  [/^(query_to_xml.*|cursor_to_xml.*|ts_stat|ts_rewrite|pg_background_.*)$/, 'dynamicSql'],
  // Contrib modules whose functions run SQL handed to them as text: tablefunc, xml2, pg_cron.
  [/^(crosstab\d*|connectby|xpath_table|xslt_process|schedule_in_database|alter_job)$/, 'dynamicSql'],
  // pageinspect and pg_prewarm read the database's files page by page, or write a file of their own.
  [/^(get_raw_page|page_header|heap_page_items|bt_page_items|bt_metap|brin_page_items|gin_page_opaque_info|autoprewarm_dump_now|autoprewarm_start_worker)$/, 'readsFiles'],
  [/^(pg_rotate_logfile.*|pg_promote|pg_switch_wal|pg_switch_xlog|pg_create_restore_point|pg_(start|stop)_backup|pg_backup_(start|stop)|pg_logical_emit_message|pg_wal_replay_.*|pg_import_system_collations|pg_stat_reset.*|pg_stat_.*_reset|binary_upgrade_.*)$/, 'administration'],
  [/^pg_((create|copy)_(physical|logical)_replication_slot|drop_replication_slot|replication_slot_advance|sync_replication_slots|logical_slot_.*)$/, 'administration'],
];

/** Views whose rows are read from the server's configuration files. */
const FILE_VIEWS = new Set(['pg_file_settings', 'pg_hba_file_rules', 'pg_ident_file_mappings']);

/** Extensions whose every function runs SQL text later or elsewhere (pg_cron's cron.schedule, ...). */
const SQL_RUNNING_SCHEMAS = new Set(['cron']);

/**
 * The functions of the families the rules above match by prefix, by name: attribute notation
 * (`t.dblink_url`) is far more often a column than a call, so there only real names count.
 */
const PREFIX_FAMILIES = new Set([
  'dblink', 'dblink_exec', 'dblink_connect', 'dblink_connect_u', 'dblink_disconnect', 'dblink_open', 'dblink_fetch', 'dblink_close',
  'dblink_get_connections', 'dblink_error_message', 'dblink_send_query', 'dblink_is_busy', 'dblink_get_notify', 'dblink_get_result',
  'dblink_cancel_query', 'dblink_get_pkey', 'dblink_build_sql_insert', 'dblink_build_sql_delete', 'dblink_build_sql_update',
  'postgres_fdw_get_connections', 'postgres_fdw_disconnect', 'postgres_fdw_disconnect_all', 'postgres_fdw_handler', 'postgres_fdw_validator',
  'file_fdw_handler', 'file_fdw_validator', 'pg_file_write', 'pg_file_rename', 'pg_file_unlink', 'pg_file_sync', 'pg_file_read', 'pg_file_length',
  'pg_ls_dir', 'pg_ls_logdir', 'pg_ls_waldir', 'pg_ls_tmpdir', 'pg_ls_archive_statusdir', 'pg_ls_logicalsnapdir', 'pg_ls_logicalmapdir', 'pg_ls_replslotdir',
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
]);
const PREFIXED = /\.\*/;

/**
 * The risk of calling `name` (the last part of a qualified name), given the schema it was qualified
 * with, if any; `attribute` when the name comes from attribute notation (`x.name`), where a rule that
 * matches a family by prefix counts only for the family's real functions.
 */
export function functionRisk(name: string, schema?: string, attribute = false): FunctionRisk | undefined {
  if (schema !== undefined && SQL_RUNNING_SCHEMAS.has(schema.toLowerCase())) return 'dynamicSql';
  const lower = name.toLowerCase();
  const rule = RULES.find(([pattern]) => pattern.test(lower));
  if (!rule || !attribute || !PREFIXED.test(rule[0].source) || PREFIX_FAMILIES.has(lower)) return rule?.[1];
  // The rule's exact alternatives still count (pg_read_file); its prefix ones (pg_ls_.*) do not.
  return new RegExp(rule[0].source.replace(/\.\*/g, '\\b\\B')).test(lower) ? rule[1] : undefined;
}

export function isFileView(name: string): boolean {
  return FILE_VIEWS.has(name.toLowerCase());
}

/** What the refusal says: what the function does, then what to do instead. */
export function functionRefusal(name: string, risk: FunctionRisk): string {
  const never = 'Ferry never lets a pipeline do that.';
  switch (risk) {
    case 'readsFiles':
      return `${name} reads files or folders on the database server; ${never} Read files with a file step inside a granted folder.`;
    case 'writesFiles':
      return `${name} writes files on the database server; ${never} Write files with a file step inside a granted folder.`;
    case 'largeObjects':
      return `${name} works on large objects (lo_import and lo_export read and write files on the database server); ${never} Keep bytes in a bytea column, and files in a granted folder with a file step.`;
    case 'otherServers':
      return `${name} connects to another server from inside the database; ${never} Add the other database as a connection of its own.`;
    case 'settings':
      return `${name} changes settings of the server or of the pooled connection, which later calls would inherit; ${never} Have the database's administrator set them on the role (ALTER ROLE ... SET ...).`;
    case 'otherSessions':
      return `${name} signals or messages other sessions of the server; ${never} Leave sessions to the database's administrator.`;
    case 'sessionLock':
      return `${name} takes a lock that outlives the call on a pooled connection; ${never} Use ${name.replace(/advisory_lock/, 'advisory_xact_lock')}, which ends with the call's transaction.`;
    case 'dynamicSql':
      return `${name} runs SQL handed to it as text, which Ferry cannot check; ${never} Write that query itself in db.select.`;
    case 'administration':
      return `${name} administers the database server (logs, WAL, backups, replication, statistics); ${never} Do it as the database's administrator, outside Ferry.`;
  }
}
