/**
 * Resolves in a new task, after input and messages already queued. A MessageChannel message, because a timer
 * nested a few deep is clamped to 4 ms.
 */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
