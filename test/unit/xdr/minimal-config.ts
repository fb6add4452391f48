/** The smallest valid config: Tokyo's gateway, one device namespace, both regions, no routes. Tests append what they exercise. */
export const MINIMAL_CONFIG = `
region: { name: tokyo, id: 1 }
namespaces:
  user_data:
    storage: { engine: device, filesize: 64M }
regions:
  - { name: tokyo, id: 1, kafka: { brokers: ["127.0.0.1:9092"] } }
  - { name: virginia, id: 2, kafka: { brokers: ["127.0.0.1:9093"] } }
`;
