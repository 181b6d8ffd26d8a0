import net from 'node:net';
import os from 'node:os';

// Addresses that reach this machine whatever its interfaces: loopback, "this host" (0.0.0.0 connects
// locally on Linux) and their IPv4-mapped IPv6 forms.
const THIS_MACHINE = new net.BlockList();
THIS_MACHINE.addSubnet('127.0.0.0', 8, 'ipv4');
THIS_MACHINE.addSubnet('0.0.0.0', 8, 'ipv4');
THIS_MACHINE.addAddress('::1', 'ipv6');
THIS_MACHINE.addAddress('::', 'ipv6');
THIS_MACHINE.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
THIS_MACHINE.addSubnet('::ffff:0.0.0.0', 104, 'ipv6');

/** `[::1]` as URL.hostname writes it -> `::1`. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Whether connecting to `address` reaches this machine (loopback or one of its own interfaces). */
export function isThisMachine(address: string): boolean {
  const family = net.isIP(address);
  if (!family) return false;
  if (THIS_MACHINE.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address.toLowerCase();
  return Object.values(os.networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase() === plain));
}
