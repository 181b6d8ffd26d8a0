import type { IncomingMessage, ServerResponse } from 'node:http';

/** What is read and dropped of a refused request's body, at most, after its answer went out. */
const LINGER_BYTES = 256 * 1024;
const LINGER_MS = 2000;

/**
 * Closes the connection of a request answered before its body was read, so the rest is never read
 * (nor buffered). Closing at once would reset a connection with unread data, and the reset can overtake
 * the answer: the sender (or the front thread's proxy, which then says 502) would see a cut connection
 * instead of the 401 or 413. So the close lingers, as HTTP servers do: the answer and a FIN go out, and a
 * little more of the body (LINGER_BYTES, LINGER_MS) is read and dropped before the connection is cut.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  const socket = req.socket as IncomingMessage['socket'] & { destroySoon?: () => void };
  // node:http calls destroySoon once a Connection: close answer is written.
  socket.destroySoon = () => {
    socket.end();
    let dropped = 0;
    const cut = () => socket.destroy();
    const timer = setTimeout(cut, LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER_BYTES) cut();
    });
    socket.resume();
  };
}
