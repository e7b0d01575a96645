import {
  type ApiRequest,
  type ApiRoute,
  optionalInt,
  optionalString,
  permissionDenied,
  requiredString,
  stableNumber,
  tokenPage,
} from './api.ts';
import type { WorkspaceMember } from './config.ts';
import { invalidParameter, WorkspaceApiError } from './errors.ts';

/**
 * Unity Catalog: catalogs, schemas and tables (paged by `max_results`/`page_token`), and one
 * table by full name. The demo metastore holds the sales data the shared analytics cluster reads,
 * the security team's audit catalog, and `system`.
 *
 * @see https://docs.databricks.com/api/azure/workspace/catalogs/list
 * @see https://docs.databricks.com/api/azure/workspace/tables/list
 */

const METASTORE_ID = '6b1e0f3a-2c4d-4e5f-8a9b-0c1d2e3f4a5b';
const SERVER_PAGE = 50;
const DAY = 86_400_000;

type Column = [name: string, type: string, comment?: string];
interface TableDef {
  name: string;
  type: 'MANAGED' | 'EXTERNAL' | 'VIEW';
  comment: string;
  columns: Column[];
}
interface SchemaDef {
  name: string;
  comment: string;
  tables: TableDef[];
}
interface CatalogDef {
  name: string;
  comment: string;
  owner: string;
  type: 'MANAGED_CATALOG' | 'SYSTEM_CATALOG';
  /** Groups (or `account users`) holding USE CATALOG; admins have every privilege. */
  readers: string[];
  schemas: SchemaDef[];
  ageDays: number;
}

const t = (name: string, comment: string, columns: Column[], type: TableDef['type'] = 'MANAGED'): TableDef => ({
  name,
  type,
  comment,
  columns,
});

const CATALOGS: CatalogDef[] = [
  {
    name: 'main',
    comment: 'Main catalog (auto-created)',
    owner: 'ben@contoso.example',
    type: 'MANAGED_CATALOG',
    readers: ['account users'],
    ageDays: 400,
    schemas: [
      { name: 'default', comment: 'Default schema (auto-created)', tables: [] },
      {
        name: 'scratch',
        comment: 'Personal experiments; tables here are dropped after 30 days',
        tables: [
          t('ana_tmp_forecast', 'Ana: forecast trial', [
            ['week', 'date'],
            ['forecast', 'double'],
          ]),
        ],
      },
    ],
  },
  {
    name: 'sales',
    comment: 'Sales data read by the shared-analytics cluster and the BI warehouse',
    owner: 'ben@contoso.example',
    type: 'MANAGED_CATALOG',
    readers: ['data-analysts', 'platform-team'],
    ageDays: 300,
    schemas: [
      {
        name: 'bronze',
        comment: 'Raw ingested orders (etl-nightly: ingest)',
        tables: [
          t('orders_raw', 'Orders as received from the shop, one row per event', [
            ['event_id', 'string'],
            ['payload', 'string'],
            ['received_at', 'timestamp'],
          ]),
          t('customers_raw', 'Customer records from the CRM export', [
            ['customer_id', 'bigint'],
            ['payload', 'string'],
          ]),
        ],
      },
      {
        name: 'gold',
        comment: 'Curated tables for dashboards (etl-nightly: transform)',
        tables: [
          t('orders', 'One row per order', [
            ['order_id', 'bigint'],
            ['customer_id', 'bigint'],
            ['order_date', 'date'],
            ['amount', 'decimal(18,2)'],
            ['region', 'string'],
          ]),
          t('customers', 'One row per customer', [
            ['customer_id', 'bigint'],
            ['name', 'string'],
            ['segment', 'string'],
          ]),
          t('revenue_daily', 'Revenue per day and region', [
            ['day', 'date'],
            ['region', 'string'],
            ['revenue', 'decimal(18,2)'],
          ]),
          t(
            'revenue_by_region',
            'Revenue per region, current quarter',
            [
              ['region', 'string'],
              ['revenue', 'decimal(18,2)'],
            ],
            'VIEW',
          ),
          t(
            'top_customers',
            'The 100 customers with the most revenue',
            [
              ['customer_id', 'bigint'],
              ['revenue', 'decimal(18,2)'],
            ],
            'VIEW',
          ),
          t('returns', 'Returned orders', [
            ['order_id', 'bigint'],
            ['returned_at', 'timestamp'],
            ['reason', 'string'],
          ]),
          t('churn_scores', 'Churn model output (churn-model-training)', [
            ['customer_id', 'bigint'],
            ['score', 'double'],
            ['scored_at', 'timestamp'],
          ]),
        ],
      },
    ],
  },
  {
    name: 'security',
    comment: 'Audit logs and access reviews',
    owner: 'eve@contoso.example',
    type: 'MANAGED_CATALOG',
    readers: ['security'],
    ageDays: 200,
    schemas: [
      {
        name: 'audit',
        comment: 'Copies of the workspace audit log',
        tables: [
          t('access_events', 'Sign-ins and API calls', [
            ['event_time', 'timestamp'],
            ['user_name', 'string'],
            ['action', 'string'],
          ]),
        ],
      },
    ],
  },
  {
    name: 'system',
    comment: 'System catalog (auto-created)',
    owner: 'System user',
    type: 'SYSTEM_CATALOG',
    readers: ['account users'],
    ageDays: 400,
    schemas: [
      {
        name: 'compute',
        comment: 'Compute system tables',
        tables: [
          t(
            'clusters',
            'Cluster configurations over time',
            [
              ['cluster_id', 'string'],
              ['cluster_name', 'string'],
              ['change_time', 'timestamp'],
            ],
            'EXTERNAL',
          ),
        ],
      },
    ],
  },
];

const notFound = (
  code: 'CATALOG_DOES_NOT_EXIST' | 'SCHEMA_DOES_NOT_EXIST' | 'TABLE_DOES_NOT_EXIST',
  kind: string,
  name: string,
) => new WorkspaceApiError(404, code, `${kind} '${name}' does not exist.`);

export function unityCatalogRoutes(startedAt: number): ApiRoute[] {
  const canRead = (m: WorkspaceMember, c: CatalogDef) =>
    m.admin || c.owner === m.upn || c.readers.includes('account users') || c.readers.some((g) => m.groups.includes(g));
  const catalog = (req: ApiRequest, name: string): CatalogDef => {
    const c = CATALOGS.find((x) => x.name === name.toLowerCase());
    if (!c) throw notFound('CATALOG_DOES_NOT_EXIST', 'Catalog', name);
    if (!canRead(req.member, c)) {
      throw permissionDenied(`User does not have USE CATALOG on Catalog '${c.name}'.`);
    }
    return c;
  };
  const schema = (req: ApiRequest, catalogName: string, name: string): [CatalogDef, SchemaDef] => {
    const c = catalog(req, catalogName);
    const s = c.schemas.find((x) => x.name === name.toLowerCase());
    if (!s) throw notFound('SCHEMA_DOES_NOT_EXIST', 'Schema', `${c.name}.${name}`);
    return [c, s];
  };
  const audit = (c: CatalogDef, extraDays = 0) => ({
    owner: c.owner,
    created_at: startedAt - (c.ageDays - extraDays) * DAY,
    created_by: c.owner,
    updated_at: startedAt - Math.floor((c.ageDays - extraDays) / 3) * DAY,
    updated_by: c.owner,
    metastore_id: METASTORE_ID,
  });
  const catalogJson = (c: CatalogDef) => ({
    name: c.name,
    full_name: c.name,
    comment: c.comment,
    catalog_type: c.type,
    isolation_mode: 'OPEN',
    securable_type: 'CATALOG',
    ...(c.type === 'MANAGED_CATALOG'
      ? { storage_root: `abfss://unity@contosolake.dfs.core.windows.net/${c.name}` }
      : {}),
    properties: {},
    ...audit(c),
  });
  const schemaJson = (c: CatalogDef, s: SchemaDef) => ({
    name: s.name,
    catalog_name: c.name,
    full_name: `${c.name}.${s.name}`,
    comment: s.comment,
    catalog_type: c.type,
    schema_id: uuidOf(`schema:${c.name}.${s.name}`),
    properties: {},
    ...audit(c, 10),
  });
  const tableJson = (c: CatalogDef, s: SchemaDef, tb: TableDef) => {
    const full = `${c.name}.${s.name}.${tb.name}`;
    const id = uuidOf(`table:${full}`);
    return {
      name: tb.name,
      catalog_name: c.name,
      schema_name: s.name,
      full_name: full,
      table_type: tb.type,
      ...(tb.type === 'VIEW'
        ? { view_definition: `SELECT * FROM ${c.name}.${s.name}.orders` }
        : {
            data_source_format: 'DELTA',
            storage_location: `abfss://unity@contosolake.dfs.core.windows.net/${c.name}/__unitystorage/tables/${id}`,
          }),
      comment: tb.comment,
      columns: tb.columns.map(([name, type], position) => ({
        name,
        type_text: type,
        type_name: typeName(type),
        type_json: JSON.stringify({ name, type, nullable: true, metadata: {} }),
        position,
        nullable: true,
        ...(type.startsWith('decimal') ? { type_precision: 18, type_scale: 2 } : {}),
      })),
      table_id: id,
      properties: tb.type === 'VIEW' ? {} : { 'delta.minReaderVersion': '1', 'delta.minWriterVersion': '2' },
      ...audit(c, 20),
    };
  };

  const list = catalogsList;
  function catalogsList(req: ApiRequest) {
    const visible = CATALOGS.filter((c) => canRead(req.member, c));
    return paged(req, visible.map(catalogJson), 'catalogs', `cat|${req.member.upn}`);
  }
  const schemas = (req: ApiRequest) => {
    const c = catalog(req, requiredString(req, 'catalog_name'));
    return paged(
      req,
      c.schemas.map((s) => schemaJson(c, s)),
      'schemas',
      `sch|${c.name}`,
    );
  };
  const tables = (req: ApiRequest) => {
    const [c, s] = schema(req, requiredString(req, 'catalog_name'), requiredString(req, 'schema_name'));
    return paged(
      req,
      s.tables.map((tb) => tableJson(c, s, tb)),
      'tables',
      `tab|${c.name}.${s.name}`,
    );
  };
  const table = (req: ApiRequest) => {
    const full = req.params.full_name as string;
    const parts = full.split('.');
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      throw invalidParameter(`Invalid table name '${full.slice(0, 200)}': expected catalog.schema.table.`);
    }
    const [cn, sn, tn] = parts as [string, string, string];
    const c = CATALOGS.find((x) => x.name === cn.toLowerCase());
    const s = c?.schemas.find((x) => x.name === sn.toLowerCase());
    const tb = s?.tables.find((x) => x.name === tn.toLowerCase());
    if (!c || !s || !tb) throw notFound('TABLE_DOES_NOT_EXIST', 'Table', full);
    catalog(req, c.name);
    return tableJson(c, s, tb);
  };
  return [
    { method: 'GET', path: '/api/2.1/unity-catalog/catalogs', handle: list },
    { method: 'GET', path: '/api/2.1/unity-catalog/schemas', handle: schemas },
    { method: 'GET', path: '/api/2.1/unity-catalog/tables', handle: tables },
    { method: 'GET', path: '/api/2.1/unity-catalog/tables/{full_name}', handle: table },
  ];
}

/**
 * `max_results` as Unity Catalog reads it: left out, everything in one answer; 0, the server's
 * page size; more, at most the server's page size; negative, 400.
 */
function paged(req: ApiRequest, items: unknown[], key: string, scope: string): Record<string, unknown> {
  const max = optionalInt(req, 'max_results', -1_000_000, 1_000_000);
  const token = optionalString(req, 'page_token');
  if (max !== undefined && max < 0) {
    throw invalidParameter(`max_results must be greater than or equal to 0, got ${max}.`);
  }
  if (max === undefined && token === undefined) return { [key]: items };
  const size = max === undefined || max === 0 ? SERVER_PAGE : Math.min(max, SERVER_PAGE);
  const page = tokenPage(items, size, token, `${scope}|${size}`);
  return { [key]: page.items, ...(page.next ? { next_page_token: page.next } : {}) };
}

function typeName(type: string): string {
  const base = type.replace(/\(.*$/, '').toUpperCase();
  return base === 'BIGINT' ? 'LONG' : base;
}

function uuidOf(key: string): string {
  const hex = [0, 1, 2, 3]
    .map((i) => stableNumber(`${key}#${i}`, 15).toString(16).padStart(13, '0').slice(-8))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
