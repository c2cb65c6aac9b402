import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";

/**
 * Where a push may connect: the address a push endpoint's host name resolves
 * to, checked at the moment of connecting. checkPushEndpoint refuses IP
 * literals and `localhost` by name, but a public name can resolve to anything
 * (`localtest.me`, `127.0.0.1.nip.io`, `localhost.`, `x.localhost`, a name
 * whose owner points it at 10.0.0.8 or 169.254.169.254): only the resolved
 * address tells. Checking it inside the socket's own lookup leaves no gap for
 * a second resolution (DNS rebinding) to answer differently.
 */

/**
 * Addresses that are not the public internet: this host, private networks,
 * link-local, reserved, multicast. One list per family: a BlockList checks an
 * IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d), and the IPv6 list
 * refuses every IPv4-mapped address.
 */
const PRIVATE_V4 = new BlockList();
const PRIVATE_V6 = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE_V4.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  // IPv4 inside IPv6 (mapped, compatible, NAT64, 6to4, Teredo) could name any IPv4 address: none is a push service's.
  ["::", 96],
  ["::ffff:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["2002::", 16],
  ["2001::", 32],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  PRIVATE_V6.addSubnet(net, bits, "ipv6");

const LOOPBACK_V4 = new BlockList();
LOOPBACK_V4.addSubnet("127.0.0.0", 8, "ipv4");
const LOOPBACK_V6 = new BlockList();
LOOPBACK_V6.addAddress("::1", "ipv6");

/** Whether a push may go to `address` (an IP literal): a public one, or loopback when a test's push service is allowed. */
export function pushAddressAllowed(address: string, allowLoopback: boolean): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4)
    return (allowLoopback && LOOPBACK_V4.check(address, "ipv4")) || !PRIVATE_V4.check(address, "ipv4");
  return (allowLoopback && LOOPBACK_V6.check(address, "ipv6")) || !PRIVATE_V6.check(address, "ipv6");
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request: resolves as usual, and refuses the connection
 * when any address the name has is not one a push may go to (one bad address
 * is enough: which one a connection takes is not ours to choose).
 */
export function guardedLookup(allowLoopback: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((a) => !pushAddressAllowed(a.address, allowLoopback));
      if (refused || addresses.length === 0) {
        const denied: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to ${refused?.address ?? "nothing"}, not a public address: no push goes there`,
        );
        denied.code = "EPUSHADDRESS";
        return callback(denied, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
