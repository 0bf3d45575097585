using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paseto.Auth.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Every change to a user or a session row that the bearer check reads notifies the instances'
    /// session caches in the committing transaction itself (ids only), so no code path, host verb
    /// or hand-run SQL can forget to. A session's refresh rotation and <c>last_seen_at</c> move
    /// nothing the check returns and notify nothing; any other column, including ones added
    /// later, does. TRUNCATE flushes every cache.
    /// </summary>
    public partial class SessionCacheNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION paseto_auth.notify_session_cache() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'TRUNCATE' THEN
                    PERFORM pg_notify('paseto_auth_cache', '*');
                  ELSIF TG_TABLE_NAME = 'users' THEN
                    PERFORM pg_notify('paseto_auth_cache', 'u:' || OLD.id);
                  ELSE
                    PERFORM pg_notify('paseto_auth_cache', 's:' || OLD.id);
                  END IF;
                  RETURN NULL;
                END $$;

                CREATE TRIGGER users_notify_cache_update AFTER UPDATE ON paseto_auth.users
                  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION paseto_auth.notify_session_cache();
                CREATE TRIGGER users_notify_cache_delete AFTER DELETE ON paseto_auth.users
                  FOR EACH ROW EXECUTE FUNCTION paseto_auth.notify_session_cache();
                CREATE TRIGGER users_notify_cache_truncate AFTER TRUNCATE ON paseto_auth.users
                  FOR EACH STATEMENT EXECUTE FUNCTION paseto_auth.notify_session_cache();

                CREATE TRIGGER sessions_notify_cache_update AFTER UPDATE ON paseto_auth.sessions
                  FOR EACH ROW WHEN (
                    to_jsonb(OLD) - ARRAY['last_seen_at', 'refresh_token_hash', 'refresh_generation', 'refresh_expires_at']
                    IS DISTINCT FROM to_jsonb(NEW) - ARRAY['last_seen_at', 'refresh_token_hash', 'refresh_generation', 'refresh_expires_at'])
                  EXECUTE FUNCTION paseto_auth.notify_session_cache();
                CREATE TRIGGER sessions_notify_cache_delete AFTER DELETE ON paseto_auth.sessions
                  FOR EACH ROW EXECUTE FUNCTION paseto_auth.notify_session_cache();
                CREATE TRIGGER sessions_notify_cache_truncate AFTER TRUNCATE ON paseto_auth.sessions
                  FOR EACH STATEMENT EXECUTE FUNCTION paseto_auth.notify_session_cache();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER sessions_notify_cache_truncate ON paseto_auth.sessions;
                DROP TRIGGER sessions_notify_cache_delete ON paseto_auth.sessions;
                DROP TRIGGER sessions_notify_cache_update ON paseto_auth.sessions;
                DROP TRIGGER users_notify_cache_truncate ON paseto_auth.users;
                DROP TRIGGER users_notify_cache_delete ON paseto_auth.users;
                DROP TRIGGER users_notify_cache_update ON paseto_auth.users;
                DROP FUNCTION paseto_auth.notify_session_cache();
                """);
        }
    }
}
