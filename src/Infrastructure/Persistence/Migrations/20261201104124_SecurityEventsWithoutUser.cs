using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paseto.Auth.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SecurityEventsWithoutUser : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_security_events_users_user_id",
                schema: "paseto_auth",
                table: "security_events");

            migrationBuilder.AlterColumn<int>(
                name: "user_id",
                schema: "paseto_auth",
                table: "security_events",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Attempts on names without an account belong to no one and cannot be kept.
            migrationBuilder.Sql("DELETE FROM paseto_auth.security_events e WHERE NOT EXISTS (SELECT 1 FROM paseto_auth.users u WHERE u.id = e.user_id);");

            migrationBuilder.AlterColumn<int>(
                name: "user_id",
                schema: "paseto_auth",
                table: "security_events",
                type: "integer",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AddForeignKey(
                name: "fk_security_events_users_user_id",
                schema: "paseto_auth",
                table: "security_events",
                column: "user_id",
                principalSchema: "paseto_auth",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
