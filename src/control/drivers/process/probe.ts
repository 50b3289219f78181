/** HTTP probes as kubelet's httpGet: a GET on loopback; success is a 2xx/3xx answer within the timeout. */
import { request } from 'node:http';
import { connect } from 'node:net';

/** Resolves true when GET http://127.0.0.1:port/path answers 200–399 within `timeoutMs`; never rejects. */
export function httpProbe(port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Resolves true when a TCP connection to 127.0.0.1:port opens within `timeoutMs` (kubelet's tcpSocket probe); never rejects. */
export function tcpProbe(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
