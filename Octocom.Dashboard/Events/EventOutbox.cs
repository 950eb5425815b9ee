using Microsoft.EntityFrameworkCore;
using Octocom.Dashboard.Conversations;
using Octocom.Dashboard.Data;
using Octocom.Dashboard.Scripting;

namespace Octocom.Dashboard.Events;

/// <summary>
/// Writes one <see cref="EventJob"/> per active handler of an event onto a DbContext, so the jobs commit in the same
/// transaction as the status change that caused them (transactional outbox). The dispatcher picks them up.
/// </summary>
public sealed class EventOutbox(TimeProvider clock)
{
    public async Task<int> StageAsync(DashboardDbContext db, Conversation conversation, string eventType, CancellationToken ct)
    {
        var handlerIds = await db.PythonFunctions
            .Where(f => f.Kind == FunctionKind.EventHandler && f.IsActive && f.EventType == eventType)
            .OrderBy(f => f.SortOrder).ThenBy(f => f.Id)
            .Select(f => f.Id)
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var handlerId in handlerIds)
        {
            db.EventJobs.Add(new EventJob
            {
                OrganizationId = conversation.OrganizationId,
                FunctionId = handlerId,
                ConversationId = conversation.Id,
                EventType = eventType,
                AvailableAt = now,
                CreatedAt = now,
            });
        }
        return handlerIds.Count;
    }
}
