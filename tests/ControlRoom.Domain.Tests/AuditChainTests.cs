using ControlRoom.Domain.Audit;

namespace ControlRoom.Domain.Tests;

public class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);

    private static List<AuditRecord> Chain(int length)
    {
        var records = new List<AuditRecord>();
        for (var i = 1; i <= length; i++)
        {
            var entry = new AuditEntry(T0.AddSeconds(i), $"op.{i}", "incident.UnitDispatched", $"incident-{i}", $$"""{"unit":"PL-M1-A0{{i}}"}""", "10.0.0.7");
            records.Add(AuditChain.Link(i, entry, records.Count == 0 ? AuditChain.Genesis : records[^1].Hash));
        }
        return records;
    }

    [Fact]
    public void AnIntactChain_Verifies_AlsoInPieces()
    {
        var chain = Chain(5);

        AuditChain.Verify(chain).ShouldBe(new AuditVerification(5, null, null));
        AuditChain.Verify(chain.Skip(3), previous: chain[2]).ShouldBe(new AuditVerification(2, null, null));
        AuditChain.Verify([]).Intact.ShouldBeTrue();
    }

    [Fact]
    public void Entry_KeepsMicroseconds_InUtc_SoAStoredRecordHashesTheSame()
    {
        var entry = new AuditEntry(T0, "op", "a", "s", "{}", "::1");

        entry.At.ShouldBe(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560));
        AuditChain.HashOf(1, entry, AuditChain.Genesis).ShouldBe(AuditChain.HashOf(1, new AuditEntry(entry.At, "op", "a", "s", "{}", "::1"), AuditChain.Genesis));
        AuditChain.HashOf(1, entry, AuditChain.Genesis).Length.ShouldBe(64);
    }

    [Fact]
    public void TheHashFormat_IsPinned_SoStoredChainsStayVerifiable()
    {
        // A Rome-time entry with sub-microsecond ticks: the hash covers UTC to the microsecond, nothing else.
        var entry = new AuditEntry(T0, "op.rossi", "incident.unit-dispatched", "0198f0c2-0000-7000-8000-000000000001",
            """{"unit":"PL-M1-A01","nota":"àè «x»"}""", "10.0.0.7");

        AuditChain.HashOf(42, entry, AuditChain.Genesis).ShouldBe("692a12ccbbb6a0212100727c8afc7aca60b0ecf379e93caa161a589ed5a9e4a5");
    }

    [Fact]
    public void AnEditedRecord_IsNamed()
    {
        var chain = Chain(5);
        var e = chain[2].Entry;
        chain[2] = chain[2] with { Entry = new AuditEntry(e.At, "op.someone-else", e.Action, e.Subject, e.Details, e.Origin) };

        var result = AuditChain.Verify(chain);

        (result.Intact, result.FirstBroken, result.Checked, result.Break).ShouldBe((false, 3L, 2L, AuditBreak.Altered));
        result.Problem!.ShouldContain("changed after it was written");
    }

    [Fact]
    public void AnEditedRecordWithItsHashRecomputed_BreaksTheLinkOfTheNext()
    {
        var chain = Chain(5);
        var e = chain[1].Entry;
        chain[1] = AuditChain.Link(2, new AuditEntry(e.At, e.Actor, e.Action, e.Subject, """{"unit":"PL-M9-A09"}""", e.Origin), chain[0].Hash);

        AuditChain.Verify(chain).FirstBroken.ShouldBe(3);
    }

    [Fact]
    public void ADeletedRecord_IsNamedByTheOneAfterIt()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);

        var result = AuditChain.Verify(chain);

        (result.FirstBroken, result.Break).ShouldBe((3L, AuditBreak.Missing));
        result.Problem!.ShouldContain("missing or out of order");
    }

    [Fact]
    public void ReorderedRecords_AreNamed_EvenWhenRenumbered()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);
        var renumbered = Chain(5);
        (renumbered[1], renumbered[2]) = (renumbered[2] with { Sequence = 2 }, renumbered[1] with { Sequence = 3 });

        AuditChain.Verify(chain).FirstBroken.ShouldBe(3);
        AuditChain.Verify(renumbered).FirstBroken.ShouldBe(2);
        AuditChain.Verify(renumbered).Problem!.ShouldContain("does not link");
        AuditChain.Verify(renumbered).Break.ShouldBe(AuditBreak.Unlinked);
    }
}
