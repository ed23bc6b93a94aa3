import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@Suite("smoke.http in a scenario")
struct HTTPSmokeTests {
    @Test("the keys of the contract: port, path, method, body, expect-status, expect-body, requests in order")
    func parsed() async throws {
        let (_, loaded) = try await ScenarioLoaderTests.folder(
            """
            smoke:
              http:
                port: 8080
                path: /healthz
                expect-body: ok
                requests:
                  - { method: post, path: /users, body: '{"name":"a"}', expect-status: 201 }
                  - { path: /users/1, expect-body: '"a"' }
              timeout: 30s
            """)
        let http = try #require(try loaded.get().smoke.http)
        #expect(http.port == 8080)
        #expect(http.first.method == "GET" && http.first.path == "/healthz" && http.first.expectStatus == 200 && http.first.expectBody == "ok")
        #expect(http.requests.map(\.method) == ["POST", "GET"])
        #expect(http.requests[0].body == "{\"name\":\"a\"}" && http.requests[0].expectStatus == 201)
        #expect(http.requests[1].expectBody == "\"a\"")
    }

    @Test(
        "bad values are FILE:LINE errors naming the key and the fix",
        arguments: [
            ("smoke:\n  http: { path: /x }\n", "smoke.http needs port"),
            ("smoke:\n  http: { port: 70000, path: /x }\n", "smoke.http.port must be a port number"),
            ("smoke:\n  http: { port: 80, path: healthz }\n", "must start with /"),
            ("smoke:\n  http: { port: 80, path: /x, method: FETCH }\n", "smoke.http.method is \"FETCH\""),
            ("smoke:\n  http: { port: 80, path: /x, expect-status: 42 }\n", "expect-status must be an HTTP status"),
            ("smoke:\n  expect-exit: 0\n  http: { port: 80, path: /x }\n", "leave out expect-exit and expect-output"),
            ("smoke:\n  http: { port: 80, path: /x, requests: [{ method: GET }] }\n", "needs path"),
        ])
    func refused(yaml: String, message: String) async throws {
        let (_, loaded) = try await ScenarioLoaderTests.folder(yaml)
        guard case .failure(let error) = loaded else {
            Issue.record("loaded: \(yaml)")
            return
        }
        #expect(error.description.contains("scenario.yaml:") && error.description.contains(message), "\(error)")
    }
}
