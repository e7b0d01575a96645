/**
 * The workspace's static catalogues: Databricks Runtime versions and Azure node types, in the
 * shapes of `clusters/spark-versions` and `clusters/list-node-types`.
 *
 * @see https://docs.databricks.com/api/azure/workspace/clusters/sparkversions
 * @see https://docs.databricks.com/api/azure/workspace/clusters/listnodetypes
 */

export interface SparkVersion {
  key: string;
  name: string;
}

export const SPARK_VERSIONS: readonly SparkVersion[] = [
  { key: '17.3.x-scala2.13', name: '17.3 LTS (includes Apache Spark 4.0.0, Scala 2.13)' },
  { key: '16.4.x-scala2.12', name: '16.4 LTS (includes Apache Spark 3.5.2, Scala 2.12)' },
  { key: '16.4.x-cpu-ml-scala2.12', name: '16.4 LTS ML (includes Apache Spark 3.5.2, Scala 2.12)' },
  { key: '15.4.x-scala2.12', name: '15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '15.4.x-photon-scala2.12', name: '15.4 LTS Photon (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '15.4.x-cpu-ml-scala2.12', name: '15.4 LTS ML (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '15.4.x-gpu-ml-scala2.12', name: '15.4 LTS ML (includes Apache Spark 3.5.0, GPU, Scala 2.12)' },
  { key: '14.3.x-scala2.12', name: '14.3 LTS (includes Apache Spark 3.5.0, Scala 2.12)' },
  { key: '13.3.x-scala2.12', name: '13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)' },
];

export interface NodeType {
  node_type_id: string;
  instance_type_id: string;
  memory_mb: number;
  num_cores: number;
  num_gpus?: number;
  description: string;
  category: string;
  is_deprecated: boolean;
  is_hidden: boolean;
  photon_driver_capable: boolean;
  photon_worker_capable: boolean;
}

function nodeType(
  id: string,
  cores: number,
  memoryGb: number,
  category: string,
  extra: { gpus?: number; photon?: boolean } = {},
): NodeType {
  const photon = extra.photon ?? true;
  return {
    node_type_id: id,
    instance_type_id: id,
    memory_mb: memoryGb * 1024,
    num_cores: cores,
    ...(extra.gpus ? { num_gpus: extra.gpus } : {}),
    description: id,
    category,
    is_deprecated: false,
    is_hidden: false,
    photon_driver_capable: photon,
    photon_worker_capable: photon,
  };
}

export const NODE_TYPES: readonly NodeType[] = [
  nodeType('Standard_DS3_v2', 4, 14, 'General Purpose'),
  nodeType('Standard_DS4_v2', 8, 28, 'General Purpose'),
  nodeType('Standard_DS5_v2', 16, 56, 'General Purpose'),
  nodeType('Standard_D4ds_v5', 4, 16, 'General Purpose'),
  nodeType('Standard_D8ds_v5', 8, 32, 'General Purpose'),
  nodeType('Standard_E8ds_v4', 8, 64, 'Memory Optimized'),
  nodeType('Standard_E16ds_v4', 16, 128, 'Memory Optimized'),
  nodeType('Standard_F4s', 4, 8, 'Compute Optimized', { photon: false }),
  nodeType('Standard_L8s_v2', 8, 64, 'Storage Optimized'),
  nodeType('Standard_NC6s_v3', 6, 112, 'GPU Accelerated', { gpus: 1, photon: false }),
  nodeType('Standard_NC4as_T4_v3', 4, 28, 'GPU Accelerated', { gpus: 1, photon: false }),
];

const NODE_TYPE_BY_ID = new Map(NODE_TYPES.map((n) => [n.node_type_id, n]));

/** Cores and memory of one node of a known type (a 4-core, 14 GB node for an unknown one). */
export function nodeSize(nodeTypeId: string): { cores: number; memoryMb: number } {
  const n = NODE_TYPE_BY_ID.get(nodeTypeId);
  return { cores: n?.num_cores ?? 4, memoryMb: n?.memory_mb ?? 14336 };
}
