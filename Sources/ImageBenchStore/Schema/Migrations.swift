/// The database schema as numbered, append-only migrations. Never edit one that has shipped: add a new one.
enum Migrations {
    struct Migration {
        let version: Int
        let summary: String
        let sql: String
    }

    static let all: [Migration] = [
        Migration(
            version: 1, summary: "runs, scenarios, variants and builds",
            sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    started_at REAL NOT NULL,
                    finished_at REAL,
                    status TEXT NOT NULL,
                    profile TEXT,
                    labels TEXT NOT NULL DEFAULT '{}',
                    environment TEXT NOT NULL
                );
                CREATE TABLE run_scenarios (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    git_commit TEXT,
                    git_branch TEXT,
                    images TEXT NOT NULL DEFAULT '[]',
                    PRIMARY KEY (run_id, name)
                );
                CREATE TABLE variants (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    scenario TEXT NOT NULL,
                    name TEXT NOT NULL,
                    axes TEXT NOT NULL,
                    status TEXT NOT NULL,
                    image_ref TEXT,
                    image_id TEXT,
                    size_bytes INTEGER,
                    layers INTEGER,
                    context_bytes INTEGER,
                    smoke TEXT,
                    problem TEXT,
                    UNIQUE (run_id, scenario, name)
                );
                CREATE TABLE builds (
                    id INTEGER PRIMARY KEY,
                    variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
                    phase TEXT NOT NULL,
                    repetition INTEGER NOT NULL,
                    started_at REAL NOT NULL,
                    seconds REAL NOT NULL,
                    outcome TEXT NOT NULL,
                    exit_code INTEGER,
                    builder TEXT NOT NULL,
                    image_id TEXT,
                    output_tail TEXT
                );
                """),
        Migration(
            version: 2, summary: "per-layer history and lookup indexes",
            sql: """
                CREATE TABLE layers (
                    variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    size_bytes INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    layer_id TEXT,
                    PRIMARY KEY (variant_id, position)
                );
                CREATE INDEX builds_by_variant ON builds(variant_id, phase, repetition);
                CREATE INDEX variants_by_run ON variants(run_id);
                """),
        Migration(
            version: 3, summary: "thresholds per run scenario; indexes for history and label lookups",
            sql: """
                ALTER TABLE run_scenarios ADD COLUMN thresholds TEXT NOT NULL DEFAULT '{}';
                CREATE INDEX variants_by_scenario ON variants(scenario, name, run_id);
                CREATE INDEX builds_by_phase ON builds(variant_id, phase, outcome, seconds);
                """),
        Migration(
            version: 4, summary: "the build context imagebench computed (files, bytes, secrets)",
            sql: """
                ALTER TABLE variants ADD COLUMN context_facts TEXT;
                """),
        Migration(
            version: 5, summary: "the analysis of each built image (layers, waste, secrets)",
            sql: """
                ALTER TABLE variants ADD COLUMN insight TEXT;
                """),
        Migration(
            version: 6, summary: "each run's plan (variants, repetitions, phases, options), for run --resume",
            sql: """
                ALTER TABLE runs ADD COLUMN plan TEXT;
                """),
        Migration(
            version: 7, summary: "a globally unique id per run, kept by imagebench merge",
            sql: """
                ALTER TABLE runs ADD COLUMN uid TEXT;
                UPDATE runs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
                CREATE UNIQUE INDEX runs_by_uid ON runs(uid);
                """),
        Migration(
            version: 8, summary: "the engine each build and variant ran on (several engines, podman)",
            sql: """
                ALTER TABLE builds ADD COLUMN engine TEXT;
                ALTER TABLE variants ADD COLUMN engine TEXT;
                """),
        Migration(
            version: 9, summary: "each build's steps: instruction (step_texts, each once), cache hit, start and duration",
            sql: """
                CREATE TABLE step_texts (
                    id INTEGER PRIMARY KEY,
                    stage TEXT NOT NULL,
                    number INTEGER NOT NULL,
                    total INTEGER NOT NULL,
                    instruction TEXT NOT NULL,
                    kind TEXT NOT NULL
                );
                CREATE UNIQUE INDEX step_texts_by_text ON step_texts(instruction, stage, number, total, kind);
                ALTER TABLE builds ADD COLUMN steps TEXT;
                """),
        Migration(
            version: 10, summary: "each variant's --target stage and its ci phase (cache source, skip reason, cache image)",
            sql: """
                ALTER TABLE variants ADD COLUMN target TEXT;
                ALTER TABLE variants ADD COLUMN ci TEXT;
                """),
        Migration(
            version: 11, summary: "each service's start times (docker run to its first expected HTTP answer)",
            sql: "ALTER TABLE variants ADD COLUMN start TEXT;"),
        Migration(
            version: 12, summary: "each built image's files as a container sees them (path, size, layer), for imagebench diff --run",
            sql: """
                CREATE TABLE variant_files (
                    variant_id INTEGER PRIMARY KEY REFERENCES variants(id) ON DELETE CASCADE,
                    files TEXT NOT NULL
                );
                """),
        Migration(
            version: 13, summary: "the budgets each run scenario set (budgets: and .dive-ci), for imagebench check",
            sql: "ALTER TABLE run_scenarios ADD COLUMN budgets TEXT NOT NULL DEFAULT '{}';"),
        Migration(
            version: 14, summary: "each run scenario's commit date and subject; why a run over commits skipped a commit",
            sql: """
                ALTER TABLE run_scenarios ADD COLUMN git_date REAL;
                ALTER TABLE run_scenarios ADD COLUMN git_subject TEXT;
                ALTER TABLE runs ADD COLUMN problem TEXT;
                CREATE INDEX run_scenarios_commit ON run_scenarios(git_commit);
                """),
        Migration(
            version: 15,
            summary:
                "each image's engine-reported .Size with what it means there and the disk the image takes on the engine; size_bytes is now what the layers hold",
            sql: "ALTER TABLE variants ADD COLUMN engine_size TEXT;"),
        Migration(
            version: 16,
            summary:
                "secrets found by what files hold (rule, file, layer, line, masked excerpt) in each image and build context; earlier runs' name-based ones as name-only",
            sql: """
                CREATE TABLE secret_findings (
                    variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
                    source TEXT NOT NULL CHECK (source IN ('image', 'context')),
                    kind TEXT NOT NULL CHECK (kind IN ('content', 'name')),
                    rule TEXT,
                    path TEXT NOT NULL,
                    layer INTEGER,
                    line INTEGER,
                    excerpt TEXT
                );
                CREATE INDEX secret_findings_by_variant ON secret_findings(variant_id);
                INSERT INTO secret_findings (variant_id, source, kind, path, layer)
                    SELECT v.id, 'image', 'name',
                        CASE WHEN instr(j.value, ' (layer ') > 0 THEN substr(j.value, 1, instr(j.value, ' (layer ') - 1) ELSE j.value END,
                        CASE WHEN instr(j.value, ' (layer ') > 0
                            THEN CAST(substr(j.value, instr(j.value, ' (layer ') + 8, length(j.value) - instr(j.value, ' (layer ') - 8) AS INTEGER) END
                    FROM variants v, json_each(v.insight, '$.secrets') j WHERE v.insight IS NOT NULL;
                INSERT INTO secret_findings (variant_id, source, kind, path)
                    SELECT v.id, 'context', 'name', j.value FROM variants v, json_each(v.context_facts, '$.secrets') j WHERE v.context_facts IS NOT NULL;
                """),
        Migration(
            version: 17,
            summary: "each variant's pull phase: the seconds a fresh engine took to pull and unpack its image from the registry, per repetition",
            sql: "ALTER TABLE variants ADD COLUMN pull TEXT;"),
        Migration(
            version: 18, summary: "the platform each variant was built for (platform:), to tell emulated builds from native ones",
            sql: "ALTER TABLE variants ADD COLUMN platform TEXT;"),
        Migration(
            version: 19, summary: "a list of platforms' index: each platform's size, compressed size and layers, and the index's stored bytes",
            sql: "ALTER TABLE variants ADD COLUMN platform_index TEXT;"),
        Migration(
            version: 20,
            summary:
                "the RUN steps a variant built for its platform (not on $BUILDPLATFORM): emulated where that platform is not the engine's, none when it cross-compiles",
            sql: "ALTER TABLE variants ADD COLUMN target_platform_runs INTEGER;"),
    ]

    static var latest: Int { all.last!.version }

    /// The version recorded in the database (0 when new).
    static func currentVersion(_ db: Database) throws(StoreError) -> Int {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, summary TEXT NOT NULL, applied_at REAL NOT NULL)")
        return Int(try db.scalarInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0)
    }

    /// Applies the missing migrations up to `target` in one transaction; refuses a newer database.
    /// The version is read again after taking the write lock (BEGIN IMMEDIATE), so two processes opening
    /// a new file at once do not both migrate it: the second waits, then finds nothing to do.
    static func migrate(_ db: Database, upTo target: Int = latest) throws(StoreError) {
        let seen = try currentVersion(db)
        try refuseNewer(seen, db)
        if seen >= target { return }
        try db.transaction { () throws(StoreError) in
            let current = Int(try db.scalarInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0)
            try refuseNewer(current, db)
            for migration in all where migration.version > current && migration.version <= target {
                try db.execute(migration.sql)
                try db.prepare("INSERT INTO schema_migrations (version, summary, applied_at) VALUES (?, ?, julianday('now'))")
                    .run([.int(Int64(migration.version)), .text(migration.summary)])
            }
        }
    }

    private static func refuseNewer(_ version: Int, _ db: Database) throws(StoreError) {
        if version > latest {
            throw StoreError(
                .newerSchema, path: db.path,
                message:
                    "written by a newer imagebench (schema version \(version), this one knows up to \(latest)); upgrade imagebench or give another file with --db"
            )
        }
    }
}
