import Foundation

/// Names that usually hold credentials.
public enum SecretPatterns {
    /// `.env*`, `id_rsa*`, `id_ed25519*`, `*.pem`, `*.key`, `*.p12`, `.git-credentials`, `.npmrc`, `.pypirc`,
    /// `.aws/credentials`, `.docker/config.json`.
    public static func looksSecret(_ path: String) -> Bool {
        let name = path.lastPathSegment
        if name.hasPrefix(".env") || name.hasPrefix("id_rsa") || name.hasPrefix("id_ed25519") { return true }
        if [".pem", ".key", ".p12"].contains(where: { name.hasSuffix($0) }) { return true }
        if [".git-credentials", ".npmrc", ".pypirc"].contains(name) { return true }
        return path == ".aws/credentials" || path.hasSuffix("/.aws/credentials") || path == ".docker/config.json"
            || path.hasSuffix("/.docker/config.json")
    }
}
