using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Octocom.Dashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class TeamInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AssignedAt",
                table: "Conversations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssigneeId",
                table: "Conversations",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastCustomerMessageAt",
                table: "Conversations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WaitingSince",
                table: "Conversations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ConversationRead",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationRead", x => new { x.UserId, x.ConversationId });
                    table.ForeignKey(
                        name: "FK_ConversationRead_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConversationRead_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConversationRead_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Notification",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Link = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notification", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notification_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Notification_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "NotificationSettings",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    OrganizationId = table.Column<int>(type: "INTEGER", nullable: false),
                    OnAssigned = table.Column<bool>(type: "INTEGER", nullable: false),
                    OnCustomerMessage = table.Column<bool>(type: "INTEGER", nullable: false),
                    OnHandoff = table.Column<bool>(type: "INTEGER", nullable: false),
                    Browser = table.Column<bool>(type: "INTEGER", nullable: false),
                    Sound = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationSettings", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_NotificationSettings_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_NotificationSettings_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_AssigneeId",
                table: "Conversations",
                column: "AssigneeId");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OrganizationId_AssigneeId_Status_LastActivityAt",
                table: "Conversations",
                columns: new[] { "OrganizationId", "AssigneeId", "Status", "LastActivityAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_OrganizationId_WaitingSince",
                table: "Conversations",
                columns: new[] { "OrganizationId", "WaitingSince" });

            migrationBuilder.CreateIndex(
                name: "IX_ConversationRead_ConversationId",
                table: "ConversationRead",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_ConversationRead_OrganizationId",
                table: "ConversationRead",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Notification_OrganizationId",
                table: "Notification",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Notification_UserId_ConversationId_Kind",
                table: "Notification",
                columns: new[] { "UserId", "ConversationId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Notification_UserId_ReadAt_CreatedAt",
                table: "Notification",
                columns: new[] { "UserId", "ReadAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationSettings_OrganizationId_OnHandoff",
                table: "NotificationSettings",
                columns: new[] { "OrganizationId", "OnHandoff" });

            // Existing conversations: unread state and the oldest-waiting sort start from their messages.
            migrationBuilder.Sql("""
                UPDATE Conversations SET
                    LastCustomerMessageAt = (SELECT MAX(m.Timestamp) FROM Messages m WHERE m.ConversationId = Conversations.Id AND m.Sender = 'customer'),
                    WaitingSince = (SELECT MIN(m.Timestamp) FROM Messages m WHERE m.ConversationId = Conversations.Id AND m.Sender = 'customer'
                        AND m.Timestamp > COALESCE((SELECT MAX(a.Timestamp) FROM Messages a WHERE a.ConversationId = Conversations.Id AND a.Sender = 'agent'), ''));
                """);

            migrationBuilder.AddForeignKey(
                name: "FK_Conversations_AspNetUsers_AssigneeId",
                table: "Conversations",
                column: "AssigneeId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Conversations_AspNetUsers_AssigneeId",
                table: "Conversations");

            migrationBuilder.DropTable(
                name: "ConversationRead");

            migrationBuilder.DropTable(
                name: "Notification");

            migrationBuilder.DropTable(
                name: "NotificationSettings");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_AssigneeId",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_OrganizationId_AssigneeId_Status_LastActivityAt",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_OrganizationId_WaitingSince",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "AssignedAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "AssigneeId",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "LastCustomerMessageAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "WaitingSince",
                table: "Conversations");
        }
    }
}
