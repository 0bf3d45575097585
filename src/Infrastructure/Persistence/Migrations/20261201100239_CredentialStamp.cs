using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paseto.Auth.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CredentialStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "credential_stamp",
                schema: "paseto_auth",
                table: "users",
                type: "uuid",
                nullable: false,
                defaultValueSql: "gen_random_uuid()");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "credential_stamp",
                schema: "paseto_auth",
                table: "users");
        }
    }
}
