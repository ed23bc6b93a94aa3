import ImageBenchCore
import Testing

@Suite("Build schedule")
struct BuildScheduleTests {
    @Test("a fresh variant: each phase's repetitions in order, an edit before each edit build, no cache-filling build")
    func fresh() {
        let actions = BuildSchedule.actions(phases: [.cold, .warm, .edit], repeatCount: 2, edits: true, done: [])
        #expect(
            actions == [
                .build(BuildKey(.cold, 1)), .build(BuildKey(.cold, 2)), .build(BuildKey(.warm, 1)), .build(BuildKey(.warm, 2)), .edit(1),
                .build(BuildKey(.edit, 1)), .edit(2), .build(BuildKey(.edit, 2)),
            ])
    }

    @Test("without cold, a warm build first meets a cache one unrecorded build filled")
    func warmOnly() {
        #expect(
            BuildSchedule.actions(phases: [.warm], repeatCount: 2, edits: true, done: [])
                == [.fillCache, .build(BuildKey(.warm, 1)), .build(BuildKey(.warm, 2))])
        #expect(
            BuildSchedule.actions(phases: [.edit], repeatCount: 1, edits: true, done: []) == [.fillCache, .edit(1), .build(BuildKey(.edit, 1))])
    }

    @Test("a scenario without edit: skips the edit phase")
    func noEdit() {
        #expect(BuildSchedule.actions(phases: [.cold, .edit], repeatCount: 1, edits: false, done: []) == [.build(BuildKey(.cold, 1))])
    }

    @Test("resuming: one cache-filling build, then only the missing builds; every edit is applied so the next one differs")
    func resume() {
        let done: Set = [BuildKey(.cold, 1), BuildKey(.cold, 2), BuildKey(.warm, 1), BuildKey(.edit, 1)]
        let actions = BuildSchedule.actions(phases: [.cold, .warm, .edit], repeatCount: 2, edits: true, done: done)
        #expect(actions == [.fillCache, .build(BuildKey(.warm, 2)), .edit(1), .fillCache, .edit(2), .build(BuildKey(.edit, 2))])
    }
}
