"""Accounts: users, team memberships and roles, permissions policy and the audit log."""
