"""resource encryption configuration

Vocabularies, vocabulary filters and language models echo the EncryptionConfiguration they were
created with (Get*/Describe* return it), so it is stored with the row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 21:37:33.679800
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('language_models', sa.Column('encryption_configuration', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))
    op.add_column('vocabularies', sa.Column('encryption_configuration', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))
    op.add_column('vocabulary_filters', sa.Column('encryption_configuration', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))


def downgrade() -> None:
    op.drop_column('vocabulary_filters', 'encryption_configuration')
    op.drop_column('vocabularies', 'encryption_configuration')
    op.drop_column('language_models', 'encryption_configuration')
