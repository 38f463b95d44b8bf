import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WallboardDispatch
import WallboardTestKit
@testable import WallboardService

/// Rows the reader cannot take as they are reach the people who run the service: counted in
/// `/metrics`, listed in `/api/v1/source`, and logged once each, however many snapshots hold them.
@Suite(.serialized) struct DataIssueTests {
    /// A wall shows every vehicle and incident, so its instance reads the rows this test spoils
    /// (call strips alone would read only the calls, and never see them).
    static let boards = """
          - id: wall
            layout: \(HTTPTests.layouts)/wall-384x192-rgb.yaml
            transport: browser
        """

    @Test func hostileRowsAreCountedListedAndLoggedOnce() async throws {
        let directory = try TemporaryDirectory()
        let database = try await DemoDatabase(directory: directory)
        let config = try configuration(database: database.path, directory: directory, boards: Self.boards)
        let log = LogRecord()
        let service = try WallboardService(configuration: config, source: nil, logger: log.logger) { _, _ in nil }
        let app = Application(router: HTTPInterface(service: service).router())
        let token: HTTPFields = [.authorization: "Bearer test-token-1234"]
        try await withRunningBoards(service) {
            try await eventually("the data is current", within: .seconds(10)) { service.health(now: Date()).status == .ok }
            #expect(service.sourceReport(now: Date()).dataIssueCount == 0, "the simulator writes clean rows")

            let queue = try DatabaseQueue(path: database.path)
            let tomorrow = Date().timeIntervalSince1970 + 86400
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO vehicles (id, call_sign, station_id, status) VALUES ('HV1', '急救99号', 'NOSUCH', 42)")
                try db.execute(
                    sql: "INSERT INTO incidents (id, received_at, priority, complaint) VALUES ('HE1', ?, 1, CAST(X'FF41FE' AS TEXT))",
                    arguments: [tomorrow]
                )
            }
            let expected: Set<String> = [
                "vehicles HV1 status unknown code", "vehicles HV1 station_id refers to a missing row",
                "incidents HE1 received_at time stamp in the future", "incidents HE1 complaint invalid UTF-8 replaced",
            ]
            func listed() -> Set<String> {
                Set(service.sourceReport(now: Date()).dataIssues.map { "\($0.table) \($0.rowID) \($0.column) \($0.problem.rawValue)" })
            }
            try await eventually("the hostile rows are reported", within: .seconds(10), describe: { "\(listed())" }) { expected.isSubset(of: listed()) }

            // Another snapshot with the same bad rows (another unknown code is the same issue): nothing new to log or count.
            let generation = service.feed.current.generation
            try await queue.write { db in try db.execute(sql: "UPDATE vehicles SET status = 43 WHERE id = 'HV1'") }
            try await eventually("another snapshot is read", within: .seconds(10)) { service.feed.current.generation > generation }
            try await eventually("the rows are still there", within: .seconds(10)) { expected.isSubset(of: listed()) }

            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v1/source", method: .get, headers: token) { response in
                    let decoder = JSONDecoder()
                    decoder.dateDecodingStrategy = .iso8601
                    let report = try decoder.decode(SourceReport.self, from: Data(buffer: response.body))
                    #expect(report.dataIssueCount == report.dataIssues.count && report.dataIssueCount >= expected.count)
                }
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let lines = String(buffer: response.body).split(separator: "\n").filter { $0.hasPrefix("wallboard_data_issues_total{") }
                    for (table, problem) in [("vehicles", "unknown_code"), ("vehicles", "dangling_reference"), ("incidents", "future_timestamp"), ("incidents", "invalid_text")] {
                        let line = lines.first { $0.contains(#"table="\#(table)""#) && $0.contains(#"problem="\#(problem)""#) }
                        #expect(line?.hasSuffix(" 1") == true, "\(table) \(problem): once, not once per snapshot: \(lines)")
                    }
                }
            }
            for text in ["vehicles row HV1, column status: unknown code", "vehicles row HV1, column station_id: refers to a missing row",
                         "incidents row HE1, column received_at: time stamp in the future", "incidents row HE1, column complaint: invalid UTF-8 replaced"] {
                #expect(log.entries(.warning, containing: text).count == 1, "logged once: \(text)")
            }
        }
    }
}
