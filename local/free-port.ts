/** A free TCP port on 127.0.0.1, for servers that must be told their port up front. */
import { createServer } from 'node:net';

/**
 * Listens on 127.0.0.1:0, reads the port the OS chose and closes. Another process may take the
 * port before the caller binds it; where a server can bind port 0 itself and report the port
 * (DynamoDB Local, SES and S3 here do), prefer that.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === 'object') resolve(addr.port);
        else reject(new Error('freePort: no port assigned'));
      });
    });
  });
}
