using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

/// <summary>
/// <c>Take</c> with the count written into the SQL (<c>LIMIT 21</c>) instead of sent as a parameter.
/// PostgreSQL cannot cost a generic plan with <c>LIMIT $n</c> (it assumes a tenth of the table), so
/// it never caches one for a page query and plans every execution anew, at several times the cost
/// of running it. Page sizes are bounded (1–100 and one more), so the statements stay few.
/// </summary>
internal static class InlineTake
{
    private static readonly MethodInfo _take =
        new Func<IQueryable<object>, int, IQueryable<object>>(Queryable.Take).Method.GetGenericMethodDefinition();

    private static readonly MethodInfo _constant =
        typeof(EF).GetMethod(nameof(EF.Constant))!.MakeGenericMethod(typeof(int));

    public static IQueryable<T> TakeInline<T>(this IQueryable<T> source, int count) =>
        source.Provider.CreateQuery<T>(Expression.Call(
            null,
            _take.MakeGenericMethod(typeof(T)),
            source.Expression,
            Expression.Call(_constant, Expression.Constant(count))));
}
