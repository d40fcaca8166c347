// The WebSocket send path: at once while a socket keeps up, waiting once it is backed up.

import { describe, expect, it } from 'vitest';
import { SEND_HIGH_WATER_BYTES, sendRespectingBackpressure } from '../../src/server/websocket.ts';

function fakeSocket(bufferedAmount: number, readyState = 1) {
  const sent: { data: string; callback?: (error?: Error) => void }[] = [];
  return {
    sent,
    socket: {
      readyState,
      OPEN: 1 as const,
      bufferedAmount,
      send: (data: string, callback?: (error?: Error) => void) => void sent.push({ data, callback }),
    },
  };
}

describe('sendRespectingBackpressure', () => {
  it('sends without waiting while the socket holds less than the high-water mark', () => {
    const { socket, sent } = fakeSocket(SEND_HIGH_WATER_BYTES - 1);
    expect(sendRespectingBackpressure(socket, 'a')).toBeUndefined();
    expect(sent.map((s) => s.data)).toEqual(['a']);
  });

  it('waits for the write once the socket is backed up, and reports its failure', async () => {
    const { socket, sent } = fakeSocket(SEND_HIGH_WATER_BYTES);
    let settled = false;
    const written = sendRespectingBackpressure(socket, 'b')!.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    sent[0]!.callback!();
    await written;
    expect(settled).toBe(true);

    const failing = sendRespectingBackpressure(socket, 'c')!;
    sent[1]!.callback!(new Error('socket reset'));
    await expect(failing).rejects.toThrow('socket reset');
  });

  it('drops messages for a socket that is no longer open', () => {
    const { socket, sent } = fakeSocket(0, 3);
    expect(sendRespectingBackpressure(socket, 'd')).toBeUndefined();
    expect(sent).toEqual([]);
  });
});
