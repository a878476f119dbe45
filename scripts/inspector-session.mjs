// A Chrome DevTools protocol session with one isolate of workerd's V8 inspector, for
// `npm run profile` (scripts/profile-delivery.mjs). Every wait ends: opening the session and each
// command fail after `timeoutMs`, and every command still waiting fails as soon as the inspector
// closes the session, each with a message naming the isolate and the command.
import WebSocket from "ws";

/**
 * Opens a session with `target` (an entry of the inspector's /json/list: { id,
 * webSocketDebuggerUrl }). Returns { id, send(method, params), close() }; send resolves with the
 * command's result.
 */
export async function openSession(target, timeoutMs) {
  const { id } = target;
  const ws = new WebSocket(target.webSocketDebuggerUrl, { handshakeTimeout: timeoutMs });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", (err) => reject(new Error(`isolate ${id}: no session: ${err.message}`)));
  });
  let next = 1;
  /** Commands sent and not answered: id → { method, resolve, reject, timer }. */
  const pending = new Map();
  const settle = (messageId, outcome) => {
    const waiting = pending.get(messageId);
    if (!waiting) return;
    pending.delete(messageId);
    clearTimeout(waiting.timer);
    outcome(waiting);
  };
  ws.on("message", (data) => {
    const message = JSON.parse(String(data));
    settle(message.id, (w) =>
      message.error
        ? w.reject(new Error(`isolate ${id}: ${w.method}: ${JSON.stringify(message.error)}`))
        : w.resolve(message.result),
    );
  });
  const failAll = (why) => {
    for (const messageId of [...pending.keys()]) {
      settle(messageId, (w) => w.reject(new Error(`isolate ${id}: ${w.method}: ${why}`)));
    }
  };
  ws.on("close", (code) => failAll(`the inspector closed the session (${code})`));
  ws.on("error", (err) => failAll(err.message));
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      if (ws.readyState !== WebSocket.OPEN) {
        reject(new Error(`isolate ${id}: ${method}: the session is closed`));
        return;
      }
      const messageId = next++;
      const timer = setTimeout(
        () =>
          settle(messageId, (w) =>
            w.reject(new Error(`isolate ${id}: ${method}: no answer within ${timeoutMs / 1000} s`)),
          ),
        timeoutMs,
      );
      pending.set(messageId, { method, resolve, reject, timer });
      ws.send(JSON.stringify({ id: messageId, method, params }));
    });
  return { id, send, close: () => ws.terminate() };
}
