/** A real DNS server on 127.0.0.1 (random port) that answers TXT queries from a table the test fills. */
import dns2 from 'dns2';

export interface TestDns {
  /** `ip:port`, for DNS_SERVERS. */
  address: string;
  /** TXT records by name (lowercase, punycode); a name not here answers no records. */
  txt: Map<string, string[]>;
  close(): Promise<void>;
}

export async function startTestDns(): Promise<TestDns> {
  const { Packet } = dns2;
  const txt = new Map<string, string[]>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      if (question.type === Packet.TYPE.TXT) {
        for (const value of txt.get(question.name.toLowerCase()) ?? []) {
          // The typings want an encoded Resource; dns2 encodes plain answers itself.
          response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data: value } as never);
        }
      }
      send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  return { address: `127.0.0.1:${addresses.udp!.port}`, txt, close: () => server.close() };
}
