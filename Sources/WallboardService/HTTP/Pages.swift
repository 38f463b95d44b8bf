import WallboardRender

/// The two HTML pages: the console and the bare kiosk page of one board. Both draw frames on a
/// canvas at the board's own pixel size, scaled by whole multiples (fractions for boards wider
/// than the console's cards), with smoothing off: what the page shows is the frame.
enum Pages {
    /// The operator's console: every board's live picture, health and latest faults, counters, and
    /// the controls, all in the page's own font (`PageFont`) at `fontSize` pixels or twice that.
    /// `brightnessFloor`: the lowest level (0 … 1) the brightness field offers, as `http.brightnessFloor` allows.
    static func console(
        centre: String, timeZone: String, fontSize: Int, boards: [BoardReport], controlled: Set<String>, brightnessFloor: Double,
        processors: [ProcessorReport] = []
    ) -> String {
        let screenButtons = """

                    <button type="button" class="screen-off">关屏</button>
                    <button type="button" class="screen-on">开屏</button>
            """
        let cards = boards.map { board -> String in
            let controls = controlled.contains(board.id) ? """
                  <form class="message">
                    <input name="text" maxlength="200" placeholder="测试信息" required>
                    <input name="seconds" type="number" min="1" max="3600" value="30"> 秒
                    <button type="submit" class="send">发送</button>
                    <button type="button" class="clear">清除</button>
                  </form>
                """ : ""
            let commands = controlled.contains(board.id) && board.device != nil && board.output != "framebuffer" ? """
                  <div class="commands">
                    亮度 <input name="level" type="number" min="\(Int((brightnessFloor * 100).rounded(.up)))" max="100" step="5" value="50"> %
                    <button type="button" class="brightness">设定</button>
                    <button type="button" class="schedule">按时间表</button>
                    <button type="button" class="clock">校准时钟</button>\(board.switchesScreen ? screenButtons : "")
                  </div>
                """ : ""
            return """
                <section class="board \(escape(board.status.rawValue))" data-board="\(escape(board.id))">
                  <h2><a href="/boards/\(escape(board.id))">\(escape(board.name))</a></h2>
                  <div class="screen"><canvas width="\(board.width)" height="\(board.height)"></canvas></div>
                  <p class="status"><span class="state \(escape(board.status.rawValue))">\(stateName(board.status))</span> · \(escape(outputName(board.output)))\(board.device.map { " · " + escape($0) } ?? "") · \(board.width)×\(board.height) \(escape(formatName(board.format))) · \(escape(board.layout))</p>
                  <p class="counters"></p>
                  <ol class="events"></ol>
                \(controls)\(commands)  <p class="reply"></p>
                </section>
                """
        }.joined(separator: "\n")
        return """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>\(escape(centre)) · Wallboard</title>
        <link rel="stylesheet" href="/fonts/page.css">
        <style>
        * { font-family: "\(PageFont.family)"; font-weight: normal; font-style: normal; font-synthesis: none; }
        body { background: #111; color: #ddd; font-size: \(fontSize)px; line-height: \(fontSize + 4)px; margin: 24px; }
        h1 { font-size: \(fontSize * 2)px; line-height: \(fontSize * 2)px; margin: 0 0 24px; }
        h2 { font-size: \(fontSize)px; line-height: \(fontSize)px; margin: 0 0 8px; }
        input, button { font-size: \(fontSize)px; line-height: \(fontSize)px; }
        input[name=text] { width: 16em; } input[type=number] { width: 4em; }
        .boards { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .board { background: #1b1b1b; padding: 12px; border: 2px solid #1b1b1b; border-radius: 6px; }
        .board.failing { border-color: #f44; background: #2a1212; }
        .board a { color: #9cf; text-decoration: none; }
        .screen canvas { image-rendering: pixelated; background: #000; display: block; }
        .status, .counters, .reply { margin: 8px 0 0; color: #999; }
        .events { margin: 8px 0 0; padding: 0; list-style: none; color: #999; }
        .events .failing { color: #f88; }
        .message, .commands { margin: 8px 0 0; }
        .state.ok { color: #6c6; } .state.failing { color: #f66; } .state.waiting { color: #cc6; }
        .reply.refused { color: #f88; } .reply.accepted { color: #6c6; }
        .admin { margin: 24px 0 0; } .admin summary { cursor: pointer; color: #9cf; }
        .admin table { border-collapse: collapse; margin: 8px 0 16px; }
        .admin th, .admin td { text-align: left; padding: 2px 12px 2px 0; vertical-align: top; }
        .admin td.refused { color: #f88; } .enrol-link, .audit-state { color: #999; word-break: break-all; } .audit-state.broken { color: #f88; }
        </style>
        </head>
        <body data-zone="\(escape(timeZone))">
        <h1>\(escape(centre))</h1>
        <div class="boards">
        \(cards)
        </div>
        \(processorCards(processors, brightnessFloor: brightnessFloor))
        <details class="admin">
          <summary>管理（管理员）</summary>
          <h2>信息屏</h2>
          <form class="enrol">
            名称 <input name="name" maxlength="64" placeholder="hall-wall" required>
            显示 <select name="board"><option value="">控制台</option>\(boards.map { "<option value=\"\(escape($0.id))\">\(escape($0.name))</option>" }.joined())</select>
            <button type="submit">生成登记链接</button>
            <button type="button" class="list-kiosks">刷新</button>
          </form>
          <p class="enrol-link"></p>
          <table class="kiosks"><thead><tr><th>名称</th><th>显示</th><th>登记人</th><th>登记于</th><th>最近使用</th><th>到期</th><th></th></tr></thead><tbody></tbody></table>
          <h2>审计记录</h2>
          <form class="audit-query">
            自 <input name="since" type="datetime-local" step="1">（空：最新）
            每页 <input name="limit" type="number" min="1" max="1000" value="100"> 条
            <button type="submit">查看</button>
            <button type="button" class="audit-next" disabled>下一页</button>
          </form>
          <p class="audit-state"></p>
          <table class="audit"><thead><tr><th>时间</th><th>用户</th><th>角色</th><th>来源</th><th>操作</th><th>内容</th><th>结果</th></tr></thead><tbody></tbody></table>
        </details>
        <dialog id="token">
          <form method="dialog">
            <p>您的令牌（http.users 中的 tokenFile）</p>
            <input name="token" type="password" autocomplete="off">
            <button value="ok">确定</button> <button value="cancel" formnovalidate>取消</button>
          </form>
        </dialog>
        <script src="/scripts/frames.js"></script>
        <script src="/scripts/console.js"></script>
        <script src="/scripts/processors.js"></script>
        </body>
        </html>
        """
    }

    /// How the console names a board's health.
    static func stateName(_ status: BoardDeliveryStatus) -> String {
        switch status {
        case .waiting: "等待"
        case .ok: "正常"
        case .failing: "故障"
        }
    }

    /// How the console names an output: the configuration's words for it in Chinese, a controller
    /// model (`bx5k`) by its name.
    static func outputName(_ output: String) -> String {
        switch output {
        case "browser": "浏览器"
        case "framebuffer": "帧缓冲"
        default: output
        }
    }

    /// How the console names a pixel format.
    static func formatName(_ format: String) -> String {
        switch PixelFormat(rawValue: format) {
        case .mono: "单色"
        case .bicolor: "双色"
        case .rgb: "全彩"
        case nil: format
        }
    }

    /// The console's behaviour: previews, live status, and the controls with the token. Served as
    /// its own file (the pages run no inline script); the time zone comes from the page's body.
    static let consoleScript = """
        const zone = document.body.dataset.zone;
        const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
        const day = new Intl.DateTimeFormat('zh-CN', { timeZone: zone, month: '2-digit', day: '2-digit' });
        const stateNames = { \(BoardDeliveryStatus.allCases.map { "\($0.rawValue): \(jsString(stateName($0)))" }.joined(separator: ", ")) };
        function time(iso) {
          const date = new Date(iso);
          return day.format(date) === day.format(new Date()) ? clock.format(date) : day.format(date) + ' ' + clock.format(date);
        }
        function duration(seconds) {
          const s = Math.round(seconds);
          if (s < 60) return s + ' 秒';
          if (s < 3600) return Math.floor(s / 60) + ' 分 ' + (s % 60) + ' 秒';
          return Math.floor(s / 3600) + ' 时 ' + Math.floor(s % 3600 / 60) + ' 分';
        }
        function section(id) { return document.querySelector('.board[data-board="' + CSS.escape(id) + '"]'); }

        // Whole multiples up to about 640 pixels wide; boards wider than that, whole fractions.
        document.querySelectorAll('.board').forEach(card => {
          const canvas = card.querySelector('canvas');
          function fit() {
            const scale = canvas.width > 640 ? 1 / Math.ceil(canvas.width / 640)
              : Math.max(1, Math.min(Math.floor(640 / canvas.width), Math.floor(240 / canvas.height)));
            canvas.style.width = (canvas.width * scale) + 'px';
            canvas.style.height = (canvas.height * scale) + 'px';
          }
          fit();
          attachBoard(canvas, card.dataset.board, fit);
        });

        function show(status) {
          for (const { report, events } of status.boards) {
            const card = section(report.id);
            if (!card) continue;
            card.classList.remove('ok', 'failing', 'waiting');
            card.classList.add(report.status);
            const state = card.querySelector('.state');
            state.textContent = stateNames[report.status] || report.status;
            state.className = 'state ' + report.status;
            const parts = [];
            if (report.device) parts.push('帧 ' + report.framesDelivered, '字节 ' + report.bytesSent, '失败 ' + report.sendErrors);
            if (report.lastUpdate) parts.push('画面更新 ' + time(report.lastUpdate));
            if (report.brightnessOverride !== undefined && report.brightnessOverride !== null) parts.push('亮度 ' + Math.round(report.brightnessOverride * 100) + '%（手动）');
            else if (report.brightness !== undefined && report.brightness !== null) parts.push('亮度 ' + Math.round(report.brightness * 100) + '%');
            if (report.screenOnWanted === false) parts.push(report.screenOn === false ? '屏幕已关' : '屏幕待关');
            else if (report.screenOnWanted === true && report.screenOn !== true) parts.push('屏幕待开');
            if (report.message) parts.push('测试信息「' + report.message + '」至 ' + time(report.messageUntil));
            card.querySelector('.counters').textContent = parts.join(' · ');
            const list = card.querySelector('.events');
            list.replaceChildren(...events.map(eventItem));
          }
        }
        // One health change as a list item: the state, from when to when, and for a fault its first error.
        function eventItem(event) {
          const item = document.createElement('li');
          item.className = event.status;
          const span = event.until ? time(event.since) + '–' + time(event.until) : '自 ' + time(event.since);
          item.textContent = (stateNames[event.status] || event.status) + ' ' + span + '（' + duration(event.seconds) + '）'
            + (event.status === 'failing' ? ' ' + event.failures + ' 次：' + event.detail : '');
          return item;
        }
        function live() {
          const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
          const socket = new WebSocket(scheme + location.host + '/api/v1/live');
          socket.onmessage = event => {
            const status = JSON.parse(event.data);
            show(status);
            showProcessors(status.processors);
          };
          socket.onclose = () => setTimeout(live, 1000);
        }
        live();

        // The token is asked for once and kept for this browser session; a refused one is forgotten.
        const tokenDialog = document.getElementById('token');
        function askToken() {
          return new Promise(resolve => {
            const input = tokenDialog.querySelector('input');
            input.value = '';
            tokenDialog.onclose = () => resolve(tokenDialog.returnValue === 'ok' && input.value ? input.value : null);
            tokenDialog.showModal();
          });
        }
        // A request with the user's token; null when none was given. A refused token is forgotten.
        async function authorized(method, path, body) {
          let token = sessionStorage.getItem('wallboard-token');
          if (!token) {
            token = await askToken();
            if (!token) return null;
            sessionStorage.setItem('wallboard-token', token);
          }
          const response = await fetch(path, {
            method, credentials: 'omit',
            headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          if (response.status === 401) sessionStorage.removeItem('wallboard-token');
          return response;
        }
        async function refusal(response) {
          try {
            const answer = await response.json();
            if (answer.error && answer.error.message) return answer.error.message;
          } catch (error) { }
          return response.status + ' ' + response.statusText;
        }
        async function command(card, method, path, body) {
          const reply = card.querySelector('.reply');
          reply.className = 'reply';
          reply.textContent = '发送中…';
          try {
            const response = await authorized(method, path, body);
            if (!response) { reply.textContent = ''; return; }
            if (response.ok) {
              reply.className = 'reply accepted';
              reply.textContent = '已受理 ' + clock.format(new Date());
              return;
            }
            reply.className = 'reply refused';
            reply.textContent = await refusal(response);
          } catch (error) {
            reply.className = 'reply refused';
            reply.textContent = String(error);
          }
        }
        document.querySelectorAll('.board').forEach(card => {
          const path = '/api/v1/boards/' + encodeURIComponent(card.dataset.board);
          const form = card.querySelector('form.message');
          if (form) {
            form.addEventListener('submit', event => {
              event.preventDefault();
              command(card, 'POST', path + '/message', { text: form.elements.text.value, seconds: Number(form.elements.seconds.value) });
            });
            card.querySelector('.clear').addEventListener('click', () => command(card, 'DELETE', path + '/message'));
          }
          const commands = card.querySelector('.commands');
          if (commands) {
            commands.querySelector('.brightness').addEventListener('click', () =>
              command(card, 'POST', path + '/brightness', { level: Number(commands.querySelector('input').value) / 100 }));
            const screenOff = commands.querySelector('.screen-off');
            commands.querySelector('.schedule').addEventListener('click', () => {
              command(card, 'POST', path + '/brightness', { level: null });
              if (screenOff) command(card, 'POST', path + '/power', { on: null });
            });
            commands.querySelector('.clock').addEventListener('click', () => command(card, 'POST', path + '/clock'));
            if (screenOff) {
              screenOff.addEventListener('click', () => command(card, 'POST', path + '/power', { on: false }));
              commands.querySelector('.screen-on').addEventListener('click', () => command(card, 'POST', path + '/power', { on: true }));
            }
          }
        });

        // Administration: kiosks and the audit trail. Every text from the service goes in as text:
        // the audit holds what anyone sent.
        function row(cells, refused) {
          const item = document.createElement('tr');
          for (const cell of cells) {
            const data = document.createElement('td');
            if (cell instanceof Node) data.append(cell); else data.textContent = cell === null || cell === undefined ? '' : String(cell);
            item.append(data);
          }
          if (refused) item.lastChild.className = 'refused';
          return item;
        }
        const admin = document.querySelector('.admin');
        const enrolForm = admin.querySelector('form.enrol');
        const enrolLink = admin.querySelector('.enrol-link');
        async function listKiosks() {
          const response = await authorized('GET', '/api/v1/kiosks');
          if (!response) return;
          if (!response.ok) { enrolLink.textContent = await refusal(response); return; }
          const kiosks = await response.json();
          admin.querySelector('table.kiosks tbody').replaceChildren(...kiosks.map(kiosk => {
            const revoke = document.createElement('button');
            revoke.type = 'button';
            revoke.textContent = '撤销';
            revoke.addEventListener('click', async () => {
              if (!confirm('撤销信息屏「' + kiosk.name + '」？')) return;
              const answer = await authorized('DELETE', '/api/v1/kiosks/' + encodeURIComponent(kiosk.name));
              if (answer && !answer.ok) enrolLink.textContent = await refusal(answer);
              listKiosks();
            });
            return row([kiosk.name, kiosk.board || '控制台', kiosk.enrolledBy, time(kiosk.created), time(kiosk.lastSeen), time(kiosk.expires), revoke]);
          }));
        }
        enrolForm.addEventListener('submit', async event => {
          event.preventDefault();
          const body = { name: enrolForm.elements.name.value };
          if (enrolForm.elements.board.value) body.board = enrolForm.elements.board.value;
          const response = await authorized('POST', '/api/v1/kiosks', body);
          if (!response) return;
          if (!response.ok) { enrolLink.textContent = await refusal(response); return; }
          const link = await response.json();
          enrolLink.textContent = '在信息屏的浏览器中打开（' + time(link.expires) + ' 前有效，仅一次）：' + link.link;
          listKiosks();
        });
        admin.querySelector('.list-kiosks').addEventListener('click', listKiosks);

        // The trail newest first: the newest page, or the entries from a moment on, page by page.
        const auditForm = admin.querySelector('form.audit-query');
        const auditState = admin.querySelector('.audit-state');
        const nextPage = admin.querySelector('.audit-next');
        let following = null;
        async function readAudit(since, skip) {
          const limit = Number(auditForm.elements.limit.value) || 100;
          const query = '?limit=' + Math.min(1000, limit + skip) + (since ? '&since=' + encodeURIComponent(since) : '');
          const response = await authorized('GET', '/api/v1/audit' + query);
          if (!response) return;
          if (!response.ok) { auditState.textContent = await refusal(response); return; }
          // From `since` on, the first `skip` entries are those the last page ended with.
          const entries = (await response.json()).slice(since ? skip : 0);
          admin.querySelector('table.audit tbody').replaceChildren(...entries.slice().reverse().map(entry =>
            row([time(entry.time), entry.user || '-', entry.role || '-', entry.client, entry.action, entry.text, entry.status], entry.status >= 400)));
          auditState.textContent = entries.length + ' 条' + (entries.length ? '，' + time(entries[0].time) + ' 至 ' + time(entries[entries.length - 1].time) : '');
          const chain = await authorized('GET', '/api/v1/audit/chain');
          if (chain && chain.ok) {
            const state = await chain.json();
            auditState.textContent += state.intact ? '。今日记录链完整（' + state.lines + ' 条）' : '。记录链断裂：' + state.problem;
            auditState.classList.toggle('broken', !state.intact);
          }
          following = null;
          if (since && entries.length) {
            const last = entries[entries.length - 1].time;
            following = { since: last, skip: entries.filter(entry => entry.time === last).length + (last === since ? skip : 0) };
          }
          nextPage.disabled = following === null;
        }
        auditForm.addEventListener('submit', event => {
          event.preventDefault();
          const value = auditForm.elements.since.value;
          readAudit(value ? new Date(value).toISOString().replace(/\\.\\d{3}Z$/, 'Z') : null, 0);
        });
        nextPage.addEventListener('click', () => { if (following) readAudit(following.since, following.skip); });
        """

    /// The kiosk page of a board, or of one screen of a splicing wall (`tile`).
    static func board(_ board: BoardReport, tile: HTTPInterface.Tile? = nil) -> String {
        let width = tile?.rect.width ?? board.width, height = tile?.rect.height ?? board.height
        let title = tile.map { "\(board.name) \($0.column),\($0.row)" } ?? board.name
        return """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        html, body { margin: 0; height: 100%; background: #000; overflow: hidden; cursor: none; }
        body { display: flex; align-items: center; justify-content: center; }
        canvas { image-rendering: pixelated; display: block; }
        </style>
        </head>
        <body>
        <canvas id="board" width="\(width)" height="\(height)" data-board="\(escape(board.id))" data-query="\(escape(tile?.query ?? ""))"></canvas>
        <script src="/scripts/frames.js"></script>
        <script src="/scripts/board.js"></script>
        </body>
        </html>
        """
    }

    /// The kiosk page's behaviour: the canvas fills the screen by whole multiples and shows the
    /// board named in its `data-board` (one screen of a wall with `data-query`).
    static let boardScript = """
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
        attachBoard(canvas, canvas.dataset.board, fit, canvas.dataset.query);
        """

    /// Opens the board's WebSocket and paints each changed region; reconnects after a second.
    /// `query` (`?tile=1,0`) asks for one screen of a splicing wall.
    static let frameScript = """
    function attachBoard(canvas, id, resized, query = '') {
      const context = canvas.getContext('2d');
      function connect() {
        const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
        const socket = new WebSocket(scheme + location.host + '/boards/' + encodeURIComponent(id) + '/ws' + query);
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
