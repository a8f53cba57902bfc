// Takes turns on the main thread: each waiter gets its own iteration of the
// event loop, so a burst of questions finishing their embeddings together does
// not run back to back while Discord heartbeats and other timers wait.
// (setImmediate callbacks queued within one iteration all run in the next one;
// resolving one waiter per iteration and re-arming from inside the callback
// spreads them out.)
const waiting: Array<() => void> = [];
let armed = false;

function next(): void {
  const resolve = waiting.shift();
  if (resolve) resolve();
  if (waiting.length > 0) setImmediate(next);
  else armed = false;
}

export function takeTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!armed) {
      armed = true;
      setImmediate(next);
    }
  });
}
