/// The console's part for the video-wall processors: a card each with its state, health history
/// and controls, kept current by the console's live socket (`showProcessors`).
extension Pages {
    static func processorCards(_ processors: [ProcessorReport], brightnessFloor: Double) -> String {
        guard !processors.isEmpty else { return "" }
        let cards = processors.map { processor in
            """
            <section class="processor \(escape(processor.status.rawValue))" data-processor="\(escape(processor.id))">
              <h2>\(escape(processor.id))</h2>
              <p class="status"><span class="state \(escape(processor.status.rawValue))">\(stateName(processor.status))</span> · \(escape(processor.kind)) · \(escape(processor.address)) · 屏幕 \(processor.screen)</p>
              <p class="counters"></p>
              <ol class="events"></ol>
              <div class="commands">
                预案 <select name="preset">\(processor.presets.map { "<option>\(escape($0))</option>" }.joined())</select>
                <button type="button" class="load">调用</button>
                <button type="button" class="automatic">恢复自动</button>
              </div>
              <div class="commands">
                亮度 <input name="level" type="number" min="\(Int((brightnessFloor * 100).rounded(.up)))" max="100" step="5" value="50"> %
                <button type="button" class="brightness">设定</button>
                <button type="button" class="schedule">按时间表</button>
                <button type="button" class="black">黑屏</button>
                <button type="button" class="picture">取消黑屏</button>
              </div>
              <p class="reply"></p>
            </section>
            """
        }.joined(separator: "\n")
        return """
            <style>
            .processors { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; margin: 24px 0 0; }
            .processor { background: #1b1b1b; padding: 12px; border: 2px solid #1b1b1b; border-radius: 6px; }
            .processor.failing { border-color: #f44; background: #2a1212; }
            </style>
            <h2>视频拼接处理器</h2>
            <div class="processors">
            \(cards)
            </div>
            """
    }

    /// Fills the processors' cards from the live status, and sends their controls (`command` and
    /// `eventItem` are the console script's).
    static let processorScript = """
        function signalName(signal) {
          if (signal === 'present') return '正常';
          if (signal === 'unknown') return '未知';
          if (signal.startsWith('lost')) return '丢失' + signal.slice(4);
          return '处理器不支持查询';
        }
        function showProcessors(processors) {
          for (const { report, events } of processors || []) {
            const card = document.querySelector('.processor[data-processor="' + CSS.escape(report.id) + '"]');
            if (!card) continue;
            card.classList.remove('ok', 'failing', 'waiting');
            card.classList.add(report.status);
            const state = card.querySelector('.state');
            state.textContent = stateNames[report.status] || report.status;
            state.className = 'state ' + report.status;
            const parts = [report.online ? (report.ready ? '在线' : '在线（启动中）') : '离线'];
            parts.push('预案 ' + (report.preset || '-') + (report.heldPreset ? '（手动）' : '（自动）'));
            if (report.brightness !== undefined && report.brightness !== null) {
              parts.push('亮度 ' + report.brightness + '%' + (report.brightnessOverride !== undefined && report.brightnessOverride !== null ? '（手动）' : ''));
            }
            if (report.blackScreen !== undefined && report.blackScreen !== null) parts.push(report.blackScreen ? '黑屏' : '有画面');
            if (report.signal) parts.push('墙面电脑信号 ' + signalName(report.signal));
            if (report.lastFault) parts.push('最近故障 ' + time(report.lastFaultAt) + '：' + report.lastFault);
            card.querySelector('.counters').textContent = parts.join(' · ');
            card.querySelector('.events').replaceChildren(...events.map(eventItem));
          }
        }
        document.querySelectorAll('.processor').forEach(card => {
          const path = '/api/v1/processors/' + encodeURIComponent(card.dataset.processor);
          card.querySelector('.load').addEventListener('click', () =>
            command(card, 'POST', path + '/preset', { preset: card.querySelector('select').value }));
          card.querySelector('.automatic').addEventListener('click', () => command(card, 'POST', path + '/automatic'));
          card.querySelector('.brightness').addEventListener('click', () =>
            command(card, 'POST', path + '/brightness', { level: Number(card.querySelector('input[name=level]').value) / 100 }));
          card.querySelector('.schedule').addEventListener('click', () => command(card, 'POST', path + '/brightness', { level: null }));
          card.querySelector('.black').addEventListener('click', () => command(card, 'POST', path + '/black', { black: true }));
          card.querySelector('.picture').addEventListener('click', () => command(card, 'POST', path + '/black', { black: false }));
        });
        """
}
