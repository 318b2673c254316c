"""job retention index

The retention purge (workers/retention.py) looks for finished jobs by completion time; a partial
index over COMPLETED/FAILED rows keeps that scan cheap however many jobs an installation holds.

Revision ID: 0003_job_retention
Revises: 0002
Create Date: 2026-11-22 10:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_job_retention'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_jobs_retention', 'transcription_jobs', ['completion_time', 'id'],
                    postgresql_where=sa.text("status IN ('COMPLETED', 'FAILED')"))


def downgrade() -> None:
    op.drop_index('ix_jobs_retention', table_name='transcription_jobs')
