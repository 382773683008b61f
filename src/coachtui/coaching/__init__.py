"""Coaching: sessions, commitments, deal work, the playbook, the typed session
records and their export."""
