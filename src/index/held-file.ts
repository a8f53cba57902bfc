// A file an index keeps open for its lifetime and reads by position (the
// float16 vectors, the keyword postings). An index replaced by a rebuild is
// dropped, not closed: its file then closes when the holder is collected.
import { closeSync, readSync } from 'node:fs';

const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

export class HeldFile {
  private closed = false;

  /** `what` names the file in messages ("the keyword index"). */
  constructor(
    private readonly fd: number,
    private readonly what: string,
  ) {
    closeWhenCollected.register(this, fd, this);
  }

  /** Fills `into` from byte `position`; a file that ends first is an error. */
  readAt(into: Uint8Array, position: number): void {
    if (this.closed) throw new Error(`${this.what} was closed`);
    for (let done = 0; done < into.length; ) {
      const n = readSync(this.fd, into, done, into.length - done, position + done);
      if (n === 0) throw new Error(`${this.what} ends at byte ${position + done}, before ${position + into.length}`);
      done += n;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeWhenCollected.unregister(this);
    closeSync(this.fd);
  }
}
