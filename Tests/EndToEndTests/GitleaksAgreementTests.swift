import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// imagebench's content rules against gitleaks 8.16 itself (Debian 13's package, unpacked by scripts/test
/// into .tools and named by IMAGEBENCH_GITLEAKS), on a corpus made here: Debian's CA certificates, keys
/// openssl and ssh-keygen generate now, tokens of each claimed rule's shape with random bodies, placeholder
/// values and a binary.
@Suite(
    "secrets agree with gitleaks",
    .enabled("needs gitleaks 8.16 (IMAGEBENCH_GITLEAKS, set by scripts/test)") { ProcessInfo.processInfo.environment["IMAGEBENCH_GITLEAKS"] != nil })
struct GitleaksAgreementTests {
    static let gitleaks = ProcessInfo.processInfo.environment["IMAGEBENCH_GITLEAKS"] ?? "gitleaks"

    static func random(_ count: Int, from alphabet: String = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") -> String {
        String((0..<count).map { _ in alphabet.randomElement()! })
    }

    static func sh(_ script: String, in dir: String) async throws {
        let result = try await SubprocessExecutor().run(Command("/bin/sh", ["-c", "cd \"$0\" && " + script, dir], timeout: 120))
        #expect(result.succeeded, "\(script): \(result.tail(3))")
    }

    /// Writes the corpus under `dir`; returns the files that are public (no finding of any kind) and those that
    /// hold placeholders (no content finding).
    static func corpus(in dir: String) async throws -> (public: [String], placeholders: [String]) {
        let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        let lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
        // Public: CA certificates as Debian ships them, one bundle, public keys.
        try FileManager.default.createDirectory(atPath: dir + "/certs", withIntermediateDirectories: true)
        let mozilla = "/usr/share/ca-certificates/mozilla"
        let certificates = try FileManager.default.contentsOfDirectory(atPath: mozilla).sorted().prefix(40)
        #expect(certificates.count == 40, "Debian's ca-certificates has fewer certificates than expected: \(certificates.count)")
        for name in certificates {
            try FileManager.default.copyItem(
                atPath: mozilla + "/" + name, toPath: dir + "/certs/" + name.replacingOccurrences(of: ".crt", with: ".pem"))
        }
        try FileManager.default.copyItem(atPath: "/etc/ssl/certs/ca-certificates.crt", toPath: dir + "/certs/ca-certificates.crt")
        // Keys generated now: PKCS#8, traditional RSA, EC, OpenSSH (also under a harmless name), and their public halves.
        try await sh(
            """
            mkdir -p keys && cd keys &&
            openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out pkcs8.key 2>/dev/null &&
            openssl genrsa -traditional -out rsa.pem 1024 2>/dev/null &&
            openssl ecparam -name prime256v1 -genkey -noout -out ec.key &&
            openssl pkey -in pkcs8.key -pubout -out public.pem &&
            ssh-keygen -q -t ed25519 -N '' -C test@example -f id_ed25519 &&
            cp id_ed25519 config.txt && cp id_ed25519.pub id_rsa.pub
            """, in: dir)
        // Tokens of each rule's shape, random bodies, in places keys leak to.
        let tokens = [
            "AKIA" + random(16, from: upper), "ASIA" + random(16, from: upper), "ghp_" + random(36), "gho_" + random(36), "ghu_" + random(36),
            "ghs_" + random(36), "ghr_" + random(36), "github_pat_" + random(82, from: "abcXYZ019_"), "glpat-" + random(20, from: "abcXYZ019_-"),
            "xoxb-" + random(24), "xoxp-" + random(40), "https://hooks.slack.com/services/" + random(44, from: "ABCxyz019+/"),
            "sk_live_" + random(24, from: lowerAlnum), "pk_test_" + random(30, from: lowerAlnum), "AIza" + random(35, from: "abcXYZ019_"),
            "eyJ" + random(31) + ".eyJ" + random(60) + "." + random(43, from: "abcXYZ019-_"),
        ]
        var bundle = "!function(){var config={};\n"
        for (index, token) in tokens.enumerated() { bundle += "config.k\(index)=\"\(token)\";\n" }
        try writeFiles(
            [
                "web/bundle.js": bundle + "}();\n",
                "app/settings.ini": "[aws]\naws_access_key_id = \(tokens[0])\nregion = eu-west-1\n",
                "app/notes.txt": "deploy with \(tokens[2]) then\n\(tokens[14])\n",
                "app/.env.example": "DB_PASSWORD=changeme\nAPI_TOKEN=${API_TOKEN}\nSECRET_KEY=<secret>\n",
                "app/config.yaml": "db:\n  password: \"\"\n  user: app\n",
            ], under: dir)
        try FileManager.default.copyItem(atPath: "/bin/ls", toPath: dir + "/app/tool")
        let certificatesCopied = try FileManager.default.contentsOfDirectory(atPath: dir + "/certs").map { "certs/" + $0 }
        return (
            ["app/tool", "keys/public.pem", "keys/id_ed25519.pub", "keys/id_rsa.pub"] + certificatesCopied, ["app/.env.example", "app/config.yaml"]
        )
    }

    struct Leak: Hashable, CustomStringConvertible {
        var rule: String
        var file: String
        var line: Int
        var description: String { "\(rule) \(file):\(line)" }
    }

    @Test("every finding gitleaks makes for the rules imagebench claims, imagebench makes; none on certificates and public keys")
    func agreement() async throws {
        try await withTemporaryDirectory { dir in
            let root = dir + "/corpus"
            let (quiet, placeholders) = try await Self.corpus(in: root)
            let report = dir + "/gitleaks.json"
            let result = try await SubprocessExecutor().run(
                Command(
                    Self.gitleaks,
                    ["detect", "--no-git", "--no-banner", "--source", root, "--report-format", "json", "--report-path", report, "--exit-code", "0"],
                    timeout: 300))
            #expect(result.succeeded, "\(result.tail(3))")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [[String: Any]])
            let claimed = Set(SecretRule.allCases.map(\.rawValue))
            let theirs = Set(
                json.compactMap { item -> Leak? in
                    guard let rule = item["RuleID"] as? String, claimed.contains(rule), let file = item["File"] as? String,
                        let line = item["StartLine"] as? Int
                    else { return nil }
                    return Leak(rule: rule, file: String(file.dropFirst(root.count + 1)), line: line)
                })

            var mine = Set<Leak>()
            var flaggedQuiet: [String] = []
            let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }
            for file in files {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + file)))
                let found = SecretScanner.findings(bytes, path: file)
                if quiet.contains(file) && !found.isEmpty { flaggedQuiet.append("\(file): \(found.map(\.summary))") }
                if placeholders.contains(file) && found.contains(where: { $0.kind == .content }) {
                    flaggedQuiet.append("\(file): \(found.map(\.summary))")
                }
                for finding in found where finding.kind == .content {
                    mine.insert(Leak(rule: finding.rule!.rawValue, file: file, line: finding.line ?? 0))
                }
            }
            // Every family is in the corpus and gitleaks finds it (else the comparison proves nothing).
            let families = Set(theirs.map(\.rule))
            #expect(families.isSuperset(of: claimed.subtracting(["assigned-secret"])), "gitleaks found no \(claimed.subtracting(families).sorted())")
            #expect(
                theirs.subtracting(mine).isEmpty,
                "gitleaks found, imagebench did not: \(theirs.subtracting(mine).sorted { $0.description < $1.description })")
            #expect(flaggedQuiet.isEmpty, "flagged: \(flaggedQuiet)")
            // The key under a harmless name is found by content; the real .env-style file by its assignment.
            #expect(mine.contains(Leak(rule: "private-key", file: "keys/config.txt", line: 1)))
            #expect(mine.contains(Leak(rule: "aws-access-token", file: "app/settings.ini", line: 2)))
        }
    }
}
