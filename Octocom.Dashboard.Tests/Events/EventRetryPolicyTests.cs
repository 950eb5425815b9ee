using Microsoft.Extensions.Options;
using Octocom.Dashboard.Events;
using Octocom.Dashboard.Scripting;
using Octocom.Dashboard.Scripting.Engine;

namespace Octocom.Dashboard.Tests.Events;

public sealed class EventRetryPolicyTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private static EventRetryPolicy Policy(int maxAttempts = 4, double jitter = 0, int baseSeconds = 10, int maxSeconds = 60) =>
        new(Options.Create(new EventsOptions
        {
            MaxAttempts = maxAttempts, RetryBaseDelay = TimeSpan.FromSeconds(baseSeconds), RetryMaxDelay = TimeSpan.FromSeconds(maxSeconds),
            RetryJitter = jitter,
        }));

    private static ScriptRunOutcome Outcome(ScriptRunStatus status, string type = "X", string message = "went wrong", int? line = null,
        IReadOnlyList<EffectRejection>? rejections = null) => new()
    {
        Result = new ScriptResult { Status = status, Error = status == ScriptRunStatus.Ok ? null : new ScriptError(type, message, null, line) },
        Rejections = rejections ?? [],
    };

    [Fact]
    public void Delay_DoublesFromTheBaseAndStopsAtTheCap()
    {
        var policy = Policy();
        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(1, 5).Select(a => policy.Delay(a).TotalSeconds));
    }

    [Fact]
    public void Delay_WithJitter_StaysWithinTheSpreadAndUnderTheCap()
    {
        var policy = Policy(jitter: 0.2);
        var delays = Enumerable.Range(0, 200).Select(_ => policy.Delay(2).TotalSeconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 16, 24));
        Assert.True(delays.Distinct().Count() > 1, "jitter should spread retries");
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(policy.Delay(10).TotalSeconds <= 60));
    }

    [Theory]
    [InlineData(ScriptRunStatus.Timeout)]
    [InlineData(ScriptRunStatus.Killed)]
    [InlineData(ScriptRunStatus.Unavailable)]
    public void Decide_TransientFailureWithAttemptsLeft_IsRetriedAfterTheBackoff(ScriptRunStatus status)
    {
        var decision = Policy().Decide(Outcome(status, "Timeout", "too slow"), attempt: 2, Now, stopping: false);

        var retry = Assert.IsType<JobDecision.Retry>(decision);
        Assert.Equal(Now.AddSeconds(20), retry.At);
        Assert.Equal("Timeout: too slow", retry.Error);
    }

    [Fact]
    public void Decide_TransientFailureOnTheLastAttempt_Fails()
    {
        var decision = Policy(maxAttempts: 3).Decide(Outcome(ScriptRunStatus.Timeout, "Timeout", "too slow"), attempt: 3, Now, stopping: false);
        Assert.Equal("Gave up after 3 attempt(s): Timeout: too slow", Assert.IsType<JobDecision.Fail>(decision).Error);
    }

    [Theory]
    [InlineData(ScriptRunStatus.Error)]
    [InlineData(ScriptRunStatus.Invalid)]
    public void Decide_ScriptErrorOrInvalidResult_FailsWithoutRetry(ScriptRunStatus status)
    {
        var decision = Policy().Decide(Outcome(status, "KeyError", "'email'", line: 7), attempt: 1, Now, stopping: false);
        Assert.Equal("KeyError: 'email' (line 7)", Assert.IsType<JobDecision.Fail>(decision).Error);
    }

    [Fact]
    public void Decide_SuccessWithRefusedEffects_Fails()
    {
        var rejection = new EffectRejection("metadata", "chat-widget:plan", "read_only", "chat-widget: keys are written by the website");
        var decision = Policy().Decide(Outcome(ScriptRunStatus.Ok, rejections: [rejection]), attempt: 1, Now, stopping: false);
        Assert.Contains("chat-widget:plan", Assert.IsType<JobDecision.Fail>(decision).Error);
    }

    [Fact]
    public void Decide_Success_Succeeds() =>
        Assert.IsType<JobDecision.Succeed>(Policy().Decide(Outcome(ScriptRunStatus.Ok), attempt: 1, Now, stopping: false));

    [Fact]
    public void Decide_CancelledWhileStopping_ReleasesTheJob()
    {
        Assert.IsType<JobDecision.Release>(Policy().Decide(Outcome(ScriptRunStatus.Cancelled), 1, Now, stopping: true));
        Assert.IsType<JobDecision.Fail>(Policy().Decide(Outcome(ScriptRunStatus.Cancelled), 1, Now, stopping: false));
    }
}
