import Foundation
import Testing

@testable import ImageBenchCore

/// Content rules: what each finds, where, and what it leaves alone.
@Suite("secrets by content")
struct SecretScannerTests {
    func scan(_ text: String, path: String = "/app/file.txt") -> [SecretFinding] {
        SecretScanner.scan(Array(text.utf8), path: path, layer: 2)
    }

    func rules(_ text: String, path: String = "/app/file.txt") -> [String] {
        scan(text, path: path).compactMap { $0.rule?.rawValue }
    }

    @Test("each fixed-shape rule finds its token, with the line, the layer and the token masked")
    func shapes() {
        let tokens: [(String, String)] = [
            ("aws-access-token", "AKIA" + "Z7Q4RM2W9XK3B5N8"),
            ("github-pat", "ghp_" + String(repeating: "a1B2", count: 9)),
            ("github-oauth", "gho_" + String(repeating: "Z9y8", count: 9)),
            ("github-app-token", "ghs_" + String(repeating: "k3L4", count: 9)),
            ("github-refresh-token", "ghr_" + String(repeating: "m5N6", count: 9)),
            ("github-fine-grained-pat", "github_pat_" + String(repeating: "Ab1_", count: 20) + "xy"),
            ("gitlab-pat", "glpat-" + "Xy12-ab34_Cd56ef78Gh"),
            ("slack-access-token", "xoxb-" + "1234567890abcdefGHIJ"),
            ("slack-web-hook", "https://hooks.slack.com/services/" + "T00000000/B00000000/" + "XXXXXXXXXXXXXXXXXXXXXXXX"),
            ("stripe-access-token", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"),
            ("gcp-api-key", "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"),
            (
                "jwt",
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
            ),
        ]
        for (rule, token) in tokens {
            let found = scan("first line\nconst key = \"\(token)\";\n")
            #expect(found.map { $0.rule?.rawValue } == [rule], "\(rule): \(found)")
            #expect(found.first?.line == 2 && found.first?.layer == 2 && found.first?.kind == .content)
            #expect(found.first?.excerpt?.contains(token) == false, "\(rule) shows its secret: \(found.first?.excerpt ?? "")")
        }
    }

    @Test("private key blocks of every kind are found; a certificate and a public key are not, and are public")
    func keys() {
        for label in ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK"] {
            let block = "-----BEGIN \(label)-----\nMIIEowIBAAKCAQEAx\n-----END \(label)-----\n"
            #expect(rules(block, path: "/app/config.txt") == ["private-key"], "\(label)")
            #expect(!SecretScanner.isPublic(Array(block.utf8)))
        }
        let certificate = "-----BEGIN CERTIFICATE-----\nMIIFazCCA1OgAwIBAgIRAIIQz7DSQONZRGPgu2OCiwAw\n-----END CERTIFICATE-----\n"
        #expect(scan(certificate, path: "/etc/ssl/certs/ISRG_Root_X1.pem").isEmpty)
        #expect(SecretScanner.isPublic(Array(certificate.utf8)))
        let publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG5yZXh0 user@host\n"
        #expect(scan(publicKey, path: "/root/.ssh/id_ed25519.pub").isEmpty)
        #expect(SecretScanner.isPublic(Array(publicKey.utf8)))
        #expect(SecretScanner.isPublic(Array("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n".utf8)))
        #expect(!SecretScanner.isPublic(Array("just text\n".utf8)))
    }

    @Test("assignments in configuration files: values are findings, placeholders and pointers are not")
    func assignments() {
        let env = """
            # a comment: PASSWORD=notthis
            DB_PASSWORD=hunter2-but-longer
            API_TOKEN="s3cr3t-t0ken-value"
            export SECRET_KEY=abcdEFGH1234
            EMPTY_PASSWORD=
            PLACEHOLDER_PASSWORD=changeme
            TEMPLATE_SECRET=${SECRET_FROM_ENV}
            ANGLE_TOKEN=<password>
            PASSWORD_FILE=/run/secrets/db
            TOKEN_URL=https://example.com/token
            USER=app
            """
        let found = scan(env, path: "/app/.env")
        #expect(found.map(\.line) == [2, 3, 4], "\(found)")
        #expect(found.allSatisfy { $0.rule == .assignedSecret && !($0.excerpt ?? "").contains("hunter2") })
        #expect(rules("[db]\npassword = Tr0ub4dor&3\n", path: "/etc/app/settings.ini") == ["assigned-secret"])
        #expect(rules("spring.datasource.password=Tr0ub4dor\n", path: "/app/application.properties") == ["assigned-secret"])
        #expect(rules("db:\n  password: \"Tr0ub4dor\"  # prod\n  user: app\n", path: "/app/config.yaml") == ["assigned-secret"])
        #expect(rules("{\"name\":\"x\",\"client_secret\":\"Tr0ub4dorXyz\",\"token\":\"\"}", path: "/app/config.json") == ["assigned-secret"])
        // Not a configuration file: an assignment in code is not this rule's (gitleaks' generic rule is not claimed).
        #expect(rules("password = \"Tr0ub4dor\"\n", path: "/app/main.go").isEmpty)
    }

    @Test("binary content and near misses are not findings")
    func nearMisses() {
        var binary = Array("AKIAZ7Q4RM2W9XK3B5N8".utf8)
        binary.append(0)
        #expect(SecretScanner.scan(binary, path: "/bin/tool").isEmpty)
        #expect(rules("AKIAZ7Q4RM2W9XK3B5\n").isEmpty, "too short")
        #expect(rules("ghp_short\n").isEmpty)
        #expect(rules("xoxb-123\n").isEmpty)
        #expect(rules("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n").isEmpty)
    }

    @Test("a file's name alone: a warning only when no rule matched and the content is not public")
    func names() {
        let certificate = Array("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)
        #expect(SecretScanner.findings(certificate, path: "/etc/ssl/certs/ca.pem", layer: 1).isEmpty)
        let named = SecretScanner.findings(Array("HELLO=world\n".utf8), path: "/app/.env", layer: 1)
        #expect(named == [SecretFinding(kind: .name, rule: nil, path: "/app/.env", layer: 1)])
        let both = SecretScanner.findings(
            Array("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg\n-----END OPENSSH PRIVATE KEY-----\n".utf8), path: "/root/.ssh/id_rsa", layer: 3)
        #expect(both.map(\.kind) == [.content] && both.first?.line == 1)
        #expect(SecretScanner.findings(Array("plain\n".utf8), path: "/app/readme.txt", layer: 0).isEmpty)
    }

    @Test("files of OS packages are not read; system files whose keys name databases are not configuration")
    func skipped() {
        #expect(!SecretScanner.wants("/usr/share/go-1.19/src/crypto/tls/testdata/example-key.pem", size: 227))
        #expect(!SecretScanner.wants("/usr/lib/python3/dist-packages/x.py", size: 100))
        #expect(!SecretScanner.wants("/app/.wh.id_rsa", size: 0))
        #expect(SecretScanner.wants("/app/config.txt", size: 100) && SecretScanner.wants("/usr/src/app/.env", size: 10))
        #expect(SecretScanner.wants("/root/.ssh/id_rsa", size: 64 << 20), "named as secrets: read, though too large for the content rules")
        #expect(!SecretScanner.wants("/app/data.bin", size: 64 << 20))
        #expect(rules("passwd:         files\ngroup:          files\n", path: "/etc/nsswitch.conf").isEmpty)
        #expect(rules("passwd: hunter2-real\n", path: "/etc/myapp/app.conf") == ["assigned-secret"])
    }

    @Test("allowlist: paths (glob) and rule ids")
    func allowlist() {
        let findings = [
            SecretFinding(kind: .content, rule: .privateKey, path: "/app/test/fixtures/key.pem", layer: 1, line: 1),
            SecretFinding(kind: .content, rule: .jwt, path: "/app/web/bundle.js", layer: 1, line: 9),
            SecretFinding(kind: .name, rule: nil, path: "/app/.env", layer: 1),
        ]
        let allow = SecretAllowlist(paths: ["/app/test/**"], rules: [.jwt])
        #expect(allow.filter(findings).map(\.path) == ["/app/.env"])
        #expect(SecretAllowlist().filter(findings) == findings)
    }
}
