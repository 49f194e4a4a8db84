import { describeRedisStore } from './redis-store-suite.js';
import { startTestRedis } from './support/redis-server.js';
import { startTestRedisCluster } from './support/redis-cluster.js';

describeRedisStore({
  name: 'a real redis-server',
  cluster: false,
  unreachableUrl: (port) => `redis://127.0.0.1:${port}`,
  start: async () => ({ ...(await startTestRedis()), cluster: false }),
});

describeRedisStore({
  name: 'a real Redis Cluster of three masters',
  cluster: true,
  unreachableUrl: (port) => `redis://127.0.0.1:${port},redis://127.0.0.1:${port}`,
  start: async () => ({ ...(await startTestRedisCluster()), cluster: true }),
});
