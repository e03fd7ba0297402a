// open-firewall-sensitive-port: a database or admin port opened on every interface.
//   networking.firewall.allowedTCPPorts = [ 80 443 5432 ];  →  [ 80 443 ]
//   services.postgresql.openFirewall = true;                (no fix: open the port narrowly)
// These daemons are meant to be reached by a few known hosts; open to the world they face
// password guessing and their own vulnerabilities. Open them on one interface instead
// (`networking.firewall.interfaces.<if>.allowedTCPPorts`) or tunnel to them.
import { priorityNote, readLiteral, readLiteralElements, severityIn } from '../analysis/module-model';
import { removeEntry } from '../analysis/removal-edits';
import { defineRule } from './types';

const SENSITIVE_PORTS: ReadonlyMap<number, string> = new Map([
  [1433, 'Microsoft SQL Server'],
  [2375, 'the Docker API (unencrypted)'],
  [2376, 'the Docker API'],
  [2379, 'etcd'],
  [2380, 'etcd peers'],
  [3306, 'MySQL/MariaDB'],
  [5432, 'PostgreSQL'],
  [5984, 'CouchDB'],
  [6379, 'Redis'],
  [8086, 'InfluxDB'],
  [9042, 'Cassandra'],
  [9200, 'Elasticsearch/OpenSearch'],
  [9300, 'Elasticsearch/OpenSearch transport'],
  [10250, 'the Kubernetes kubelet API'],
  [11211, 'memcached'],
  [15672, 'the RabbitMQ management UI'],
  [27017, 'MongoDB'],
]);

/** Services whose `openFirewall` opens such a port (option path below `services`). */
const SENSITIVE_SERVICES: readonly (readonly string[])[] = [
  ['postgresql'], ['mysql'], ['redis', 'servers', '*'], ['mongodb'], ['influxdb2'], ['elasticsearch'],
  ['opensearch'], ['memcached'], ['couchdb'], ['cassandra'], ['etcd'], ['rabbitmq'],
];

export default defineRule({
  id: 'open-firewall-sensitive-port',
  meta: {
    severity: 'warning',
    category: 'security',
    description: 'A database or admin port is open on all interfaces',
    fixable: true,
    messages: {
      port: 'Port {{port}} ({{service}}) is open to every network; open it on one interface instead{{note}}',
      service: '`openFirewall` opens {{service}} to every network; open its port on one interface{{note}}',
    },
  },
  check(context) {
    const { table, text } = context.file;
    return {
      file() {
        const model = context.file.modules;
        for (const option of ['allowedTCPPorts', 'allowedUDPPorts']) {
          for (const definition of model.get(['networking', 'firewall', option])) {
            for (const { node, value: port } of readLiteralElements(table, definition.value)) {
              const service = port.kind === 'int' ? SENSITIVE_PORTS.get(port.value) : undefined;
              if (!service || port.kind !== 'int') continue;
              context.report({
                severity: severityIn(definition),
                node,
                messageId: 'port',
                data: { port: port.value, service, note: priorityNote(definition) },
                // Unsafe: remote clients of the service lose access until it is reopened narrowly.
                fixes: [{ title: `Close port ${port.value}`, edits: [removeEntry(text, table, node)], safe: false }],
              });
            }
          }
        }
        // Each pattern below ends in `openFirewall`: one pass over `services` tells whether any can match.
        if (!model.under(['services']).some((definition) => definition.path[definition.path.length - 1] === 'openFirewall')) return;
        for (const service of SENSITIVE_SERVICES) {
          for (const { definition } of model.match(['services', ...service, 'openFirewall'])) {
            const value = readLiteral(table, definition.value);
            if (value.kind !== 'bool' || !value.value) continue;
            context.report({ severity: severityIn(definition), node: definition.value, messageId: 'service', data: { service: `\`${definition.path.slice(0, -1).join('.')}\``, note: priorityNote(definition) } });
          }
        }
      },
    };
  },
});
