/// The two HTML pages. Both draw frames on a canvas at the board's own pixel size, scaled by
/// whole multiples where the window allows, with smoothing off: what the page shows is the frame.
enum Pages {
    static func index(centre: String, boards: [BoardReport]) -> String {
        let cards = boards.map { board in
            """
            <section class="board" data-board="\(escape(board.id))">
              <h2><a href="/boards/\(escape(board.id))">\(escape(board.name))</a></h2>
              <div class="screen"><canvas width="\(board.width)" height="\(board.height)"></canvas></div>
              <p class="status"><span class="state">\(escape(board.status.rawValue))</span> · \(escape(board.output))\(board.device.map { " · " + escape($0) } ?? "") · \(board.width)×\(board.height) \(escape(board.format)) · \(escape(board.layout))</p>
              <p class="detail"></p>
            </section>
            """
        }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>\(escape(centre)) · Wallboard</title>
        <style>
        body { background: #111; color: #ddd; font: 14px system-ui, sans-serif; margin: 1.5em; }
        h1 { font-size: 1.4em; font-weight: 600; }
        .boards { display: flex; flex-wrap: wrap; gap: 1.5em; }
        .board { background: #1b1b1b; padding: 0.8em; border-radius: 6px; max-width: 100%; }
        .board h2 { font-size: 1em; margin: 0 0 0.5em; }
        .board a { color: #9cf; }
        .screen canvas { image-rendering: pixelated; background: #000; display: block; max-width: 100%; }
        .status, .detail { margin: 0.4em 0 0; color: #999; }
        .state.ok { color: #6c6; } .state.failing { color: #f66; } .state.waiting { color: #cc6; }
        </style>
        </head>
        <body>
        <h1>\(escape(centre))</h1>
        <div class="boards">
        \(cards)
        </div>
        <script>
        \(frameScript)
        document.querySelectorAll('.board').forEach(section => {
          const canvas = section.querySelector('canvas');
          const scale = Math.max(1, Math.min(4, Math.floor(480 / canvas.width)));
          canvas.style.width = (canvas.width * scale) + 'px';
          attachBoard(canvas, section.dataset.board, () => {});
        });
        async function refreshStatus() {
          try {
            const boards = await (await fetch('/api/v1/boards')).json();
            for (const board of boards) {
              const section = document.querySelector('.board[data-board="' + CSS.escape(board.id) + '"]');
              if (!section) continue;
              const state = section.querySelector('.state');
              state.textContent = board.status;
              state.className = 'state ' + board.status;
              const parts = [];
              if (board.lastUpdate) parts.push('updated ' + new Date(board.lastUpdate).toLocaleTimeString());
              if (board.output !== 'browser') parts.push(board.bytesSent + ' bytes sent');
              if (board.lastError) parts.push('last error: ' + board.lastError);
              section.querySelector('.detail').textContent = parts.join(' · ');
            }
          } catch (error) { }
        }
        refreshStatus();
        setInterval(refreshStatus, 2000);
        </script>
        </body>
        </html>
        """
    }

    static func board(_ board: BoardReport) -> String {
        """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>\(escape(board.name))</title>
        <style>
        html, body { margin: 0; height: 100%; background: #000; overflow: hidden; cursor: none; }
        body { display: flex; align-items: center; justify-content: center; }
        canvas { image-rendering: pixelated; display: block; }
        </style>
        </head>
        <body>
        <canvas id="board" width="\(board.width)" height="\(board.height)"></canvas>
        <script>
        \(frameScript)
        const canvas = document.getElementById('board');
        function fit() {
          const ratio = window.devicePixelRatio || 1;
          const fitting = Math.min(window.innerWidth * ratio / canvas.width, window.innerHeight * ratio / canvas.height);
          // Whole multiples keep every LED pixel the same size; below 1 there is no exact choice.
          const scale = fitting >= 1 ? Math.floor(fitting) : fitting;
          canvas.style.width = (canvas.width * scale / ratio) + 'px';
          canvas.style.height = (canvas.height * scale / ratio) + 'px';
        }
        window.addEventListener('resize', fit);
        fit();
        attachBoard(canvas, \(jsString(board.id)), fit);
        </script>
        </body>
        </html>
        """
    }

    /// Opens the board's WebSocket and paints each changed region; reconnects after a second.
    static let frameScript = """
    function attachBoard(canvas, id, resized) {
      const context = canvas.getContext('2d');
      function connect() {
        const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        const socket = new WebSocket(scheme + location.host + '/boards/' + encodeURIComponent(id) + '/ws');
        socket.binaryType = 'arraybuffer';
        // Messages are inflated in order: a later small one must not overtake an earlier big one.
        let pending = Promise.resolve();
        socket.onmessage = event => {
          pending = pending.then(() => inflate(event.data)).then(paint, () => {});
        };
        async function inflate(data) {
          const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate'));
          return await new Response(stream).arrayBuffer();
        }
        function paint(buffer) {
          const view = new DataView(buffer);
          const width = view.getUint16(0, true), height = view.getUint16(2, true), count = view.getUint16(4, true);
          if (canvas.width !== width || canvas.height !== height) {
            canvas.width = width; canvas.height = height; resized();
          }
          let offset = 6;
          for (let index = 0; index < count; index++) {
            const x = view.getUint16(offset, true), y = view.getUint16(offset + 2, true);
            const w = view.getUint16(offset + 4, true), h = view.getUint16(offset + 6, true);
            offset += 8;
            const rgb = new Uint8Array(buffer, offset, w * h * 3);
            offset += w * h * 3;
            const region = context.createImageData(w, h);
            const rgba = region.data;
            for (let from = 0, to = 0; from < rgb.length; from += 3, to += 4) {
              rgba[to] = rgb[from]; rgba[to + 1] = rgb[from + 1]; rgba[to + 2] = rgb[from + 2]; rgba[to + 3] = 255;
            }
            context.putImageData(region, x, y);
          }
        }
        socket.onclose = () => setTimeout(connect, 1000);
      }
      connect();
    }
    """

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A JavaScript string literal that is also safe inside a script element.
    static func jsString(_ text: String) -> String {
        var escaped = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            case "<": escaped += "\\u003c"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "'"
    }
}
