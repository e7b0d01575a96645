import {
  type ApiRequest,
  type ApiRoute,
  optionalString,
  permissionDenied,
  requiredString,
  resourceNotFound,
  stableNumber,
  tokenPage,
} from './api.ts';
import type { WorkspaceMember } from './config.ts';
import { invalidParameter } from './errors.ts';

/**
 * Workspace objects (`/api/2.0/workspace/list`, `get-status`) and Git folders (`/api/2.0/repos`):
 * the notebooks the demo jobs run, in the users' home folders, `/Shared` and `/Repos`.
 *
 * @see https://docs.databricks.com/api/azure/workspace/workspace/list
 * @see https://docs.databricks.com/api/azure/workspace/repos/list
 */

type ObjectType = 'DIRECTORY' | 'NOTEBOOK' | 'FILE' | 'REPO';
interface WsObject {
  path: string;
  object_type: ObjectType;
  language?: 'PYTHON' | 'SQL' | 'SCALA' | 'R';
  size?: number;
}

const NB = (path: string, language: WsObject['language']): WsObject => ({ path, object_type: 'NOTEBOOK', language });
const DIR = (path: string): WsObject => ({ path, object_type: 'DIRECTORY' });

const OBJECTS: WsObject[] = [
  DIR('/'),
  DIR('/Users'),
  DIR('/Shared'),
  DIR('/Repos'),
  DIR('/Users/ana@contoso.example'),
  NB('/Users/ana@contoso.example/weekly_sales', 'PYTHON'),
  DIR('/Users/ana@contoso.example/scratch'),
  NB('/Users/ana@contoso.example/scratch/forecast_trial', 'PYTHON'),
  DIR('/Users/ben@contoso.example'),
  NB('/Users/ben@contoso.example/cluster_costs', 'SQL'),
  DIR('/Users/dana@contoso.example'),
  DIR('/Users/eve@contoso.example'),
  NB('/Users/eve@contoso.example/access_review', 'SQL'),
  DIR('/Shared/bi'),
  NB('/Shared/bi/refresh_dashboards', 'SQL'),
  DIR('/Shared/legacy'),
  NB('/Shared/legacy/odbc_export', 'SCALA'),
  DIR('/Shared/init'),
  { path: '/Shared/init/install-odbc.sh', object_type: 'FILE', size: 1841 },
  DIR('/Repos/ben@contoso.example'),
  { path: '/Repos/ben@contoso.example/etl', object_type: 'REPO' },
  NB('/Repos/ben@contoso.example/etl/ingest_orders', 'PYTHON'),
  NB('/Repos/ben@contoso.example/etl/build_gold_tables', 'PYTHON'),
  DIR('/Repos/mia@contoso.example'),
  { path: '/Repos/mia@contoso.example/churn', object_type: 'REPO' },
  NB('/Repos/mia@contoso.example/churn/train', 'PYTHON'),
];

interface Repo {
  path: string;
  url: string;
  provider: string;
  branch: string;
  head_commit_id: string;
}

const REPOS: Repo[] = [
  {
    path: '/Repos/ben@contoso.example/etl',
    url: 'https://github.com/contoso-example/etl.git',
    provider: 'gitHub',
    branch: 'main',
    head_commit_id: '7c3e1b9a5d2f4e6a8b0c1d2e3f4a5b6c7d8e9f01',
  },
  {
    path: '/Repos/mia@contoso.example/churn',
    url: 'https://dev.azure.com/contoso-example/ml/_git/churn',
    provider: 'azureDevOpsServices',
    branch: 'feature/new-features',
    head_commit_id: '0d9c8b7a6f5e4d3c2b1a09f8e7d6c5b4a3928170',
  },
];

/** Home folders and `/Repos/<user>` are private to their owner (and admins); the rest is shared. */
function canSee(m: WorkspaceMember, path: string): boolean {
  if (m.admin) return true;
  const owner = /^\/(?:Users|Repos)\/([^/]+)/.exec(path)?.[1];
  return owner === undefined || owner === m.upn;
}

const parentOf = (p: string) => (p.lastIndexOf('/') <= 0 ? '/' : p.slice(0, p.lastIndexOf('/')));

export function workspaceObjectRoutes(startedAt: number): ApiRoute[] {
  const info = (o: WsObject) => {
    const id = stableNumber(`ws:${o.path}`, 15);
    return {
      object_type: o.object_type,
      path: o.path,
      object_id: id,
      resource_id: String(id),
      ...(o.language ? { language: o.language } : {}),
      ...(o.size !== undefined ? { size: o.size } : {}),
      ...(o.object_type === 'NOTEBOOK' || o.object_type === 'FILE'
        ? { created_at: startedAt - (id % 90) * 86_400_000, modified_at: startedAt - (id % 7) * 3_600_000 }
        : {}),
    };
  };
  const lookup = (req: ApiRequest): WsObject => {
    const path = requiredString(req, 'path');
    if (!path.startsWith('/'))
      throw invalidParameter(`Path (${path.slice(0, 200)}) must be an absolute path starting with /.`);
    const norm = path.length > 1 ? path.replace(/\/+$/, '') : path;
    const o = OBJECTS.find((x) => x.path === norm);
    if (!o) throw resourceNotFound(`Path (${norm.slice(0, 500)}) doesn't exist.`);
    if (!canSee(req.member, o.path)) {
      throw permissionDenied(
        `${req.member.upn} does not have Can Read permission on ${o.path}. Ask its owner or a workspace admin to share it.`,
      );
    }
    return o;
  };
  const list = (req: ApiRequest) => {
    const o = lookup(req);
    if (o.object_type !== 'DIRECTORY' && o.object_type !== 'REPO') return { objects: [info(o)] };
    const children = OBJECTS.filter((x) => x.path !== '/' && parentOf(x.path) === o.path && canSee(req.member, x.path));
    return children.length > 0 ? { objects: children.map(info) } : {};
  };
  const status = (req: ApiRequest) => info(lookup(req));

  const repoJson = (r: Repo) => ({ id: stableNumber(`repo:${r.path}`, 15), ...r });
  const repos = (req: ApiRequest) => {
    const prefix = optionalString(req, 'path_prefix');
    const visible = REPOS.filter(
      (r) => canSee(req.member, r.path) && (prefix === undefined || r.path.startsWith(prefix)),
    );
    // The Repos API names its request token `next_page_token`, like the answer's.
    const page = tokenPage(
      visible,
      1_000,
      optionalString(req, 'next_page_token'),
      `repos|${req.member.upn}|${prefix ?? ''}`,
    );
    return {
      ...(page.items.length > 0 ? { repos: page.items.map(repoJson) } : {}),
      ...(page.next ? { next_page_token: page.next } : {}),
    };
  };
  const repo = (req: ApiRequest) => {
    const id = req.params.repo_id as string;
    const r = REPOS.find((x) => String(stableNumber(`repo:${x.path}`, 15)) === id);
    if (!r || !canSee(req.member, r.path)) throw resourceNotFound('Repo could not be found');
    return repoJson(r);
  };
  return [
    { method: 'GET', path: '/api/2.0/workspace/list', handle: list },
    { method: 'GET', path: '/api/2.0/workspace/get-status', handle: status },
    { method: 'GET', path: '/api/2.0/repos', handle: repos },
    { method: 'GET', path: '/api/2.0/repos/{repo_id}', handle: repo },
  ];
}
