using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace Octocom.Dashboard.Analytics.Querying;

/// <summary>Combines predicate lambdas into one expression tree that EF Core can translate.</summary>
public static class Predicates
{
    public static Expression<Func<T, bool>> And<T>(Expression<Func<T, bool>> a, Expression<Func<T, bool>> b) =>
        Combine(a, b, Expression.AndAlso);

    public static Expression<Func<T, bool>> Or<T>(Expression<Func<T, bool>> a, Expression<Func<T, bool>> b) =>
        Combine(a, b, Expression.OrElse);

    /// <summary>OR of one predicate per value; each value is captured by its own closure, so each becomes a SQL parameter.</summary>
    public static Expression<Func<T, bool>> AnyOf<T, TValue>(IEnumerable<TValue> values, Func<TValue, Expression<Func<T, bool>>> make) =>
        values.Select(make).Aggregate(Or);

    /// <summary><paramref name="test"/> applied to what <paramref name="selector"/> picks: <c>On(m => m.Value, v => …)</c> is <c>m => …m.Value…</c>.</summary>
    public static Expression<Func<T, bool>> On<T, TValue>(Expression<Func<T, TValue>> selector, Expression<Func<TValue, bool>> test) =>
        Expression.Lambda<Func<T, bool>>(ReplacingExpressionVisitor.Replace(test.Parameters[0], selector.Body, test.Body), selector.Parameters);

    private static Expression<Func<T, bool>> Combine<T>(Expression<Func<T, bool>> a, Expression<Func<T, bool>> b,
        Func<Expression, Expression, BinaryExpression> join)
    {
        var parameter = a.Parameters[0];
        var right = ReplacingExpressionVisitor.Replace(b.Parameters[0], parameter, b.Body);
        return Expression.Lambda<Func<T, bool>>(join(a.Body, right), parameter);
    }
}
