// The pipelined HTTP/1.1 client of the load tests: plain CommonJS, so that both the jest tests
// (through pipelined-client.d.cts) and the child-process fixtures run by plain node load it.
'use strict';
const net = require('node:net');

/**
 * Writes `batch` GET requests in one socket write, `batches` times per socket, on `sockets`
 * sockets to 127.0.0.1:`port`, and waits for every answer of a write before the next one.
 * Paths are `/p<socket>-<write>-<request>`. Node's HTTP parser dispatches every request of one
 * chunk inside one synchronous run, which is what these tests exercise.
 * @param {number} port
 * @param {number} sockets
 * @param {number} batches
 * @param {number} batch
 * @returns {Promise<void>}
 */
async function pipeline(port, sockets, batches, batch) {
  await Promise.all(
    Array.from({ length: sockets }, async (_, s) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setEncoding('utf8');
      await new Promise((resolve) => socket.once('connect', resolve));
      let received = 0;
      let wanted = 0;
      let wake = () => undefined;
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk;
        const parts = buffer.split('HTTP/1.1 200');
        received += parts.length - 1;
        buffer = parts[parts.length - 1];
        if (received >= wanted) wake();
      });
      for (let b = 0; b < batches; b++) {
        let text = '';
        for (let r = 0; r < batch; r++) text += `GET /p${s}-${b}-${r} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
        wanted += batch;
        const answered = new Promise((resolve) => (wake = resolve));
        socket.write(text);
        await answered;
      }
      socket.destroy();
    }),
  );
}

module.exports = { pipeline };
